package asaassim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCreateGetPay measures the per-charge cost of the hot path (create,
// look up by externalReference, pay) through the HTTP handler, with a growing
// account: it must stay flat as the account fills up.
func BenchmarkCreateGetPay(b *testing.B) {
	s := New(Options{Now: fixedClock(captureDay), Seed: 1})
	defer s.Close()
	acct := s.CreateAccount("bench")
	h := s.Handler()
	call := func(method, path string, body any) []byte {
		var raw []byte
		if body != nil {
			raw, _ = json.Marshal(body)
		}
		req := httptest.NewRequest(method, path, bytes.NewReader(raw))
		req.Header.Set("access_token", acct.APIKey)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	var cust struct{ ID string }
	_ = json.Unmarshal(call("POST", "/v3/customers", map[string]any{"name": "B", "cpfCnpj": "24971563792"}), &cust)
	b.ResetTimer()
	for i := range b.N {
		ref := fmt.Sprintf("contract-%d", i)
		var p struct{ ID string }
		_ = json.Unmarshal(call("POST", "/v3/payments", map[string]any{"customer": cust.ID, "billingType": "BOLETO",
			"value": 100, "dueDate": "2026-07-20", "externalReference": ref}), &p)
		call("GET", "/v3/payments?externalReference="+ref, nil)
		if err := s.Pay(p.ID, PayOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
