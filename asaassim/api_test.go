package asaassim

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	s, ts := newSim(t, Options{})
	s.CreateAccount("A")
	for name, key := range map[string]string{"missing": "", "unknown": "$aact_nope"} {
		t.Run(name, func(t *testing.T) {
			code, desc := newClient(t, ts, key).fail(http.StatusUnauthorized, "GET", "/v3/payments", nil)
			assert.Equal(t, "invalid_access_token", code)
			assert.NotEmpty(t, desc)
		})
	}
}

func TestAccountsSeeOnlyTheirOwnData(t *testing.T) {
	s, ts := newSim(t, Options{})
	a, b := s.CreateAccount("A"), s.CreateAccount("B")
	ca, cb := newClient(t, ts, a.APIKey), newClient(t, ts, b.APIKey)
	custA := ca.customer()
	pay := ca.charge(custA, map[string]any{"billingType": "PIX", "value": 10, "externalReference": "shared-ref"})
	id := pay["id"].(string)

	cb.fail(http.StatusNotFound, "GET", "/v3/payments/"+id, nil)
	cb.fail(http.StatusNotFound, "DELETE", "/v3/payments/"+id, nil)
	cb.fail(http.StatusNotFound, "GET", "/v3/customers/"+custA, nil)
	cb.fail(http.StatusNotFound, "GET", "/v3/installments/"+pay["customer"].(string), nil)
	assert.Equal(t, 0.0, cb.ok("GET", "/v3/payments?externalReference=shared-ref", nil)["totalCount"])
	assert.Equal(t, 0.0, cb.ok("GET", "/v3/customers", nil)["totalCount"])
	code, _ := cb.fail(http.StatusBadRequest, "POST", "/v3/payments", map[string]any{"customer": custA, "billingType": "PIX", "value": 10, "dueDate": "2026-07-20"})
	assert.Equal(t, "invalid_customer", code, "B cannot charge A's customer")
}

func TestPaymentValidationStopsAtTheFirstField(t *testing.T) {
	_, c, _, cust := simWithAccount(t, Options{})
	base := func(kv ...any) map[string]any {
		m := map[string]any{"customer": cust, "billingType": "BOLETO", "value": 100, "dueDate": "2026-07-20"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	cases := []struct {
		name string
		body map[string]any
		code string
	}{
		{"empty body", map[string]any{}, "invalid_customer"},
		{"unknown customer", base("customer", "cus_000000000001"), "invalid_customer"},
		{"customer ok, nothing else", map[string]any{"customer": cust}, "invalid_billingType"},
		{"bad billingType", base("billingType", "CASH"), "invalid_billingType"},
		{"no value", base("value", nil), "invalid_value"},
		{"value below 5", base("value", 4.99), "invalid_value"},
		{"three decimals", base("value", 10.001), "invalid_value"},
		{"value as text", base("value", "abc"), "invalid_value"},
		{"no dueDate", base("dueDate", nil), "invalid_dueDate"},
		{"dueDate in the past", base("dueDate", "2026-07-13"), "invalid_dueDate"},
		{"dueDate malformed", base("dueDate", "20/07/2026"), "invalid_dueDate"},
		{"discount type", base("discount", map[string]any{"value": 1, "type": "X"}), "invalid_discount"},
		{"fixed discount above value", base("discount", map[string]any{"value": 100}), "invalid_discount"},
		{"negative fine", base("fine", map[string]any{"value": -1}), "invalid_fine"},
		{"interest over 100", base("interest", map[string]any{"value": 101}), "invalid_interest"},
		{"one parcel", base("installmentCount", 1, "totalValue", 100), "invalid_installmentCount"},
		{"plan without value", base("installmentCount", 3), "invalid_totalValue"},
		{"parcels below 5", base("installmentCount", 3, "totalValue", 12), "invalid_value"},
		{"card without holder info", base("billingType", "CREDIT_CARD", "creditCard", map[string]any{"holderName": "X", "number": "4444444444444444", "expiryMonth": "12", "expiryYear": "2030", "ccv": "123"}), "invalid_creditCardHolderInfo"},
		{"card failing Luhn", base("billingType", "CREDIT_CARD", "creditCard", map[string]any{"holderName": "X", "number": "4111111111111112", "expiryMonth": "12", "expiryYear": "2030", "ccv": "123"}), "invalid_creditCard"},
		{"expired card", base("billingType", "CREDIT_CARD", "creditCard", map[string]any{"holderName": "X", "number": "4111111111111111", "expiryMonth": "06", "expiryYear": "2026", "ccv": "123"}), "invalid_creditCard"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, desc := c.fail(http.StatusBadRequest, "POST", "/v3/payments", tc.body)
			assert.Equal(t, tc.code, code)
			assert.NotEmpty(t, desc)
		})
	}
	assert.Equal(t, 0.0, c.ok("GET", "/v3/payments", nil)["totalCount"], "no rejected request created anything")

	status, raw := c.do("POST", "/v3/payments", nil)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, `{"errors":[{"code":"invalid_customer","description":"Customer inválido ou não informado."}]}`, string(raw))
}

func TestCustomerValidationAndFilters(t *testing.T) {
	_, c, _, _ := simWithAccount(t, Options{})
	cases := []struct {
		name string
		body map[string]any
		code string
	}{
		{"no name", map[string]any{"cpfCnpj": "24971563792"}, "invalid_name"},
		{"repeated CPF", map[string]any{"name": "X", "cpfCnpj": "11111111111"}, "invalid_object"},
		{"wrong check digit", map[string]any{"name": "X", "cpfCnpj": "24971563793"}, "invalid_object"},
		{"repeated mobile digits", map[string]any{"name": "X", "mobilePhone": "47999999999"}, "invalid_mobilePhone"},
		{"bad email", map[string]any{"name": "X", "email": "not-an-email"}, "invalid_email"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _ := c.fail(http.StatusBadRequest, "POST", "/v3/customers", tc.body)
			assert.Equal(t, tc.code, code)
		})
	}
	cnpj := c.ok("POST", "/v3/customers", map[string]any{"name": "Empresa", "cpfCnpj": "11.222.333/0001-81", "externalReference": "c-1"})
	assert.Equal(t, "JURIDICA", cnpj["personType"])
	assert.Equal(t, "11222333000181", cnpj["cpfCnpj"])
	c.ok("POST", "/v3/customers", map[string]any{"name": "Pessoa", "cpfCnpj": "24971563792"})
	c.ok("POST", "/v3/customers", map[string]any{"name": "Pessoa 2", "cpfCnpj": "24971563792"})
	assert.Equal(t, 3.0, c.ok("GET", "/v3/customers?cpfCnpj=249.715.637-92", nil)["totalCount"], "cpfCnpj is not unique (simWithAccount made the first)")
	byRef := c.ok("GET", "/v3/customers?externalReference=c-1", nil)
	assert.Equal(t, 1.0, byRef["totalCount"])
	assert.Equal(t, cnpj["id"], byRef["data"].([]any)[0].(map[string]any)["id"])
	assert.Equal(t, cnpj, c.ok("GET", "/v3/customers/"+cnpj["id"].(string), nil))
}

func TestListsAreNewestFirstAndPaginated(t *testing.T) {
	_, c, _, cust := simWithAccount(t, Options{})
	var ids []string
	for i := range 15 {
		ids = append(ids, c.charge(cust, map[string]any{"billingType": "PIX", "value": 10 + i})["id"].(string))
	}
	first := c.ok("GET", "/v3/payments", nil)
	assert.Equal(t, true, first["hasMore"])
	assert.Equal(t, 15.0, first["totalCount"])
	assert.Equal(t, 10.0, first["limit"])
	assert.Equal(t, 0.0, first["offset"])
	data := first["data"].([]any)
	require.Len(t, data, 10)
	assert.Equal(t, ids[14], data[0].(map[string]any)["id"], "newest first")
	second := c.ok("GET", "/v3/payments?offset=10&limit=10", nil)
	assert.Equal(t, false, second["hasMore"])
	data = second["data"].([]any)
	require.Len(t, data, 5)
	assert.Equal(t, ids[0], data[4].(map[string]any)["id"])
	assert.Equal(t, 100.0, c.ok("GET", "/v3/payments?limit=500", nil)["limit"], "limit is capped at 100")

	assert.Equal(t, 15.0, c.ok("GET", "/v3/payments?customer="+cust+"&status=PENDING&billingType=PIX", nil)["totalCount"])
	assert.Equal(t, 0.0, c.ok("GET", "/v3/payments?status=RECEIVED", nil)["totalCount"])
}

func TestUnknownOperationAnswersAsaasStyle404(t *testing.T) {
	_, c, _, _ := simWithAccount(t, Options{})
	code, _ := c.fail(http.StatusNotFound, "POST", "/v3/myAccount/notifications/settings", map[string]any{})
	assert.Equal(t, "not_found", code)
}

// Many clients at once on one account: every charge gets a distinct invoice
// number, the sequence has no gaps, and the totals add up.
func TestConcurrentClients(t *testing.T) {
	s, c, acct, cust := simWithAccount(t, Options{})
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				status, raw := c.do("POST", "/v3/payments", map[string]any{"customer": cust, "billingType": "PIX", "value": 10,
					"dueDate": "2026-07-20", "externalReference": fmt.Sprintf("w%d-%d", w, i)})
				if status != http.StatusOK {
					errs <- fmt.Errorf("%d: %s", status, raw)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for offset := 0; offset < workers*each; offset += 100 {
		page := c.ok("GET", fmt.Sprintf("/v3/payments?limit=100&offset=%d", offset), nil)
		for _, it := range page["data"].([]any) {
			p := it.(map[string]any)
			require.NoError(t, s.Pay(p["id"].(string), PayOptions{}))
			seen[p["invoiceNumber"].(string)] = true
		}
	}
	assert.Len(t, seen, workers*each)
	for n := 15924714; n < 15924714+workers*each; n++ {
		assert.True(t, seen[fmt.Sprint(n)], "invoiceNumber %d", n)
	}
	assert.Equal(t, fmt.Sprintf("%.2f", float64(workers*each)*8.01), balance(t, s, acct.ID))
	assert.Equal(t, 1.0, c.ok("GET", "/v3/payments?externalReference=w3-7", nil)["totalCount"])
}

func TestAddAccountKeepsAGivenKey(t *testing.T) {
	s, ts := newSim(t, Options{})
	ctl := newClient(t, ts, "")
	acct := ctl.ok("POST", "/_sim/accounts", map[string]any{"name": "Demo", "apiKey": "$aact_demo-key"})
	assert.Equal(t, "$aact_demo-key", acct["apiKey"])
	newClient(t, ts, "$aact_demo-key").ok("GET", "/v3/payments", nil)
	code, _ := ctl.fail(http.StatusConflict, "POST", "/_sim/accounts", map[string]any{"apiKey": "$aact_demo-key"})
	assert.Equal(t, "conflict", code)
	_, err := s.AddAccount(Account{APIKey: "not-a-key"})
	assert.Error(t, err)
	assert.Len(t, s.Accounts(), 1)
}
