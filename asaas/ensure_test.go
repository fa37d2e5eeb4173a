package asaas_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/asaas"
)

// fakeStore is the minimum of Asaas' behaviour Ensure* relies on: POST
// creates, GET lists newest first filtered by externalReference.
type fakeStore struct {
	mu        sync.Mutex
	payments  []map[string]any // oldest first
	customers []map[string]any
	posts     int
	// looseFilter makes the list ignore externalReference, like a server
	// that matches more than asked.
	looseFilter bool
}

func newFakeStore(t *testing.T) (*fakeStore, *asaas.Client) {
	t.Helper()
	s := &fakeStore{}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, asaas.New(asaas.Options{BaseURL: srv.URL, APIKey: testKey})
}

func (s *fakeStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var coll *[]map[string]any
	prefix := ""
	switch r.URL.Path {
	case "/v3/payments":
		coll, prefix = &s.payments, "pay_"
	case "/v3/customers":
		coll, prefix = &s.customers, "cus_"
	default:
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodPost:
		var obj map[string]any
		if err := json.NewDecoder(r.Body).Decode(&obj); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		s.posts++
		obj["id"] = fmt.Sprintf("%s%d", prefix, len(*coll)+1)
		obj["deleted"] = false
		*coll = append(*coll, obj)
		_ = json.NewEncoder(w).Encode(obj)
	case http.MethodGet:
		ref := r.URL.Query().Get("externalReference")
		var data []map[string]any
		for _, o := range slices.Backward(*coll) {
			if s.looseFilter || ref == "" || o["externalReference"] == ref {
				data = append(data, o)
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"object": "list", "hasMore": false, "totalCount": len(data), "limit": 100, "offset": 0, "data": data,
		})
	}
}

func (s *fakeStore) add(coll *[]map[string]any, obj map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*coll = append(*coll, obj)
}

func paymentRequest(ref string) asaas.PaymentRequest {
	return asaas.PaymentRequest{
		Customer: "cus_1", BillingType: asaas.BillingBoleto, Value: asaas.MustNumber("29.16"),
		DueDate: asaas.NewDate(2026, 8, 24), ExternalReference: ref,
	}
}

func TestEnsurePaymentCreatesOnce(t *testing.T) {
	ctx := context.Background()
	store, c := newFakeStore(t)

	first, created, err := c.EnsurePayment(ctx, paymentRequest("contract/7/installment/2"))
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, "pay_1", first.ID)

	again, created, err := c.EnsurePayment(ctx, paymentRequest("contract/7/installment/2"))
	require.NoError(t, err)
	assert.False(t, created, "the retry finds the charge the first call created")
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, 1, store.posts, "exactly one charge was created")

	other, created, err := c.EnsurePayment(ctx, paymentRequest("contract/7/installment/3"))
	require.NoError(t, err)
	assert.True(t, created)
	assert.NotEqual(t, first.ID, other.ID)
	assert.Equal(t, 2, store.posts)
}

func TestEnsurePaymentChoosesAmongExisting(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name        string
		existing    []map[string]any // oldest first
		looseFilter bool
		wantID      string
		wantCreated bool
	}{
		{
			name:     "deleted charge is not reused",
			existing: []map[string]any{{"id": "pay_old", "externalReference": "c/1", "deleted": true}},
			wantID:   "pay_2", wantCreated: true,
		},
		{
			name: "installment plan: its first parcel",
			existing: []map[string]any{
				{"id": "pay_p1", "externalReference": "c/1", "installment": "inst", "installmentNumber": 1, "deleted": false},
				{"id": "pay_p2", "externalReference": "c/1", "installment": "inst", "installmentNumber": 2, "deleted": false},
				{"id": "pay_p3", "externalReference": "c/1", "installment": "inst", "installmentNumber": 3, "deleted": false},
			},
			wantID: "pay_p1",
		},
		{
			name: "oldest live one when an older one was deleted",
			existing: []map[string]any{
				{"id": "pay_a", "externalReference": "c/1", "deleted": true},
				{"id": "pay_b", "externalReference": "c/1", "deleted": false},
				{"id": "pay_c", "externalReference": "c/1", "deleted": false},
			},
			wantID: "pay_b",
		},
		{
			name:        "a server matching loosely does not fool it",
			existing:    []map[string]any{{"id": "pay_x", "externalReference": "c/10", "deleted": false}},
			looseFilter: true,
			wantID:      "pay_2", wantCreated: true,
		},
		{
			name:        "null externalReference never matches",
			existing:    []map[string]any{{"id": "pay_x", "externalReference": nil, "deleted": false}},
			looseFilter: true,
			wantID:      "pay_2", wantCreated: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store, c := newFakeStore(t)
			store.looseFilter = tc.looseFilter
			for _, p := range tc.existing {
				store.add(&store.payments, p)
			}
			p, created, err := c.EnsurePayment(ctx, paymentRequest("c/1"))
			require.NoError(t, err)
			assert.Equal(t, tc.wantCreated, created)
			assert.Equal(t, tc.wantID, p.ID)
			if tc.wantCreated {
				assert.Equal(t, 1, store.posts)
			} else {
				assert.Zero(t, store.posts)
			}
		})
	}
}

func TestEnsurePaymentDoesNotCreateWhenTheLookupFails(t *testing.T) {
	rec, srv := newRecorder(t, cannedResponse{status: 503, body: ``})
	_, created, err := newClient(srv).EnsurePayment(context.Background(), paymentRequest("c/1"))
	require.Error(t, err)
	assert.False(t, created)
	assert.True(t, asaas.IsRetryable(err))
	reqs := rec.all()
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodGet, reqs[0].Method, "no POST after a failed lookup")
}

func TestEnsureCustomer(t *testing.T) {
	ctx := context.Background()
	store, c := newFakeStore(t)
	req := asaas.CustomerRequest{Name: "Cliente Paridade", CpfCnpj: "24971563792", ExternalReference: "client/42"}

	first, created, err := c.EnsureCustomer(ctx, req)
	require.NoError(t, err)
	assert.True(t, created)
	assert.Equal(t, "client/42", first.ExternalRef())

	again, created, err := c.EnsureCustomer(ctx, req)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, 1, store.posts)

	found, ok, err := c.FindCustomerByExternalReference(ctx, "client/42")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, first.ID, found.ID)

	_, ok, err = c.FindCustomerByExternalReference(ctx, "client/43")
	require.NoError(t, err)
	assert.False(t, ok)
}
