package api

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdempotencyKey(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	other := e.account(t, "Other", true)
	client := map[string]any{"name": "Cliente", "cpf_cnpj": "52998224725"}

	first := e.call(t, u.Token, "POST", "/v1/clients", client, idempotencyHeader, "k-1")
	require.Equal(t, http.StatusCreated, first.Code, first.String())
	assert.Empty(t, first.Header.Get("Idempotent-Replayed"))
	after := e.counts(t)

	t.Run("same key and body: the stored answer, no second effect", func(t *testing.T) {
		again := e.call(t, u.Token, "POST", "/v1/clients", client, idempotencyHeader, "k-1")
		assert.Equal(t, http.StatusCreated, again.Code)
		assert.Equal(t, first.Body, again.Body)
		assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
		assert.Equal(t, after, e.counts(t))
	})

	mismatches := []struct {
		name, method, path string
		body               any
	}{
		{"same key, another body", "POST", "/v1/clients", map[string]any{"name": "Other", "cpf_cnpj": "52998224725"}},
		{"same key, same body with other spacing", "POST", "/v1/clients", `{"name": "Cliente", "cpf_cnpj": "52998224725"}`},
		{"same key, another route", "POST", "/v1/payees", map[string]any{"name": "Cliente", "person_type": "person", "cpf_cnpj": "52998224725"}},
	}
	for _, tc := range mismatches {
		t.Run(tc.name+": 422, nothing written", func(t *testing.T) {
			r := e.call(t, u.Token, tc.method, tc.path, tc.body, idempotencyHeader, "k-1")
			require.Equal(t, http.StatusUnprocessableEntity, r.Code, r.String())
			assert.Equal(t, idempotencyHeader, r.obj(t)["errors"].([]any)[0].(map[string]any)["field"])
			assert.Equal(t, after, e.counts(t))
		})
	}

	t.Run("keys are per account", func(t *testing.T) {
		theirs := e.must(t, http.StatusCreated, other.Token, "POST", "/v1/clients", client, idempotencyHeader, "k-1")
		assert.NotEqual(t, first.obj(t)["id"], theirs["id"])
	})

	t.Run("a rejected request stores nothing: the key can be used for the corrected one", func(t *testing.T) {
		bad := e.call(t, u.Token, "POST", "/v1/clients", map[string]any{"name": "X"}, idempotencyHeader, "k-2")
		require.Equal(t, http.StatusUnprocessableEntity, bad.Code)
		e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", map[string]any{"name": "X", "cpf_cnpj": "52998224725"}, idempotencyHeader, "k-2")
	})

	t.Run("without a key every POST creates", func(t *testing.T) {
		a := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", client)
		b := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", client)
		assert.NotEqual(t, a["id"], b["id"])
	})

	t.Run("a key longer than 255 characters is refused", func(t *testing.T) {
		r := e.call(t, u.Token, "POST", "/v1/clients", client, idempotencyHeader, strings.Repeat("k", 256))
		assert.Equal(t, http.StatusUnprocessableEntity, r.Code)
	})
}

func TestIdempotencyKeyUnderConcurrency(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	body := map[string]any{"template_id": b.template, "client_id": b.client, "total_amount": "1200", "first_due_date": "2026-09-01"}
	before := e.counts(t)

	const n = 8
	answers := make([]resp, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = e.call(t, b.Token, "POST", "/v1/contracts", body, idempotencyHeader, "contract-2026-09")
		}()
	}
	wg.Wait()
	for _, a := range answers {
		require.Equal(t, http.StatusCreated, a.Code, a.String())
		assert.Equal(t, answers[0].Body, a.Body, "every twin gets the first answer")
	}
	after := e.counts(t)
	assert.Equal(t, before["contracts"]+1, after["contracts"], "one contract")
	assert.Equal(t, before["installments"]+12, after["installments"])
	assert.Equal(t, before["audit_events"]+1, after["audit_events"])
}

func TestIdempotencyKeyOnContractActions(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	path := "/v1/contracts/" + b.contract + "/cancel"

	first := e.call(t, b.Token, "POST", path, map[string]any{"reason": "client gave up"}, idempotencyHeader, "cancel-1")
	require.Equal(t, http.StatusOK, first.Code, first.String())
	again := e.call(t, b.Token, "POST", path, map[string]any{"reason": "client gave up"}, idempotencyHeader, "cancel-1")
	assert.Equal(t, http.StatusOK, again.Code)
	assert.Equal(t, first.Body, again.Body)
	assert.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, []string{"cancel client gave up " + b.contract}, e.engine.calls, "the engine ran once")
	assert.Equal(t, []string{"cancel-1"}, e.engine.keys, "the key reaches the engine (the workflow Update ID)")

	other := e.call(t, b.Token, "POST", path, map[string]any{"reason": "another reason"}, idempotencyHeader, "cancel-1")
	assert.Equal(t, http.StatusUnprocessableEntity, other.Code)
	assert.Equal(t, 1, e.engine.callCount())
}
