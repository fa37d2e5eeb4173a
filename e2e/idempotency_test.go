package e2e

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"billing/asaassim"

	"github.com/stretchr/testify/assert"
)

// The Idempotency-Key of a contract action names one request: the same key on
// another installment is refused (422) and pays nothing, concurrent copies of
// one request run it once and all answer with its result.
func TestIdempotencyKeyAcrossInstallments(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	s.configure()
	contract, _ := s.activeContract(3, "300.00")
	path := "/v1/contracts/" + contract + "/installments/"
	mark := map[string]any{"amount": "100.00", "paid_on": time.Now().Format(time.DateOnly)}

	type answer struct {
		code int
		body map[string]any
	}
	concurrently := func(paths ...string) []answer {
		out := make([]answer, len(paths))
		var wg sync.WaitGroup
		for i, p := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[i].code, out[i].body = s.call("POST", p, mark, "Idempotency-Key", "same-key")
			}()
		}
		wg.Wait()
		return out
	}

	// Two installments, one key, at the same time: one is paid, the other refused.
	got := concurrently(path+"1/mark-paid", path+"2/mark-paid")
	codes := map[int]int{}
	for _, a := range got {
		codes[a.code]++
	}
	assert.Equal(t, map[int]int{http.StatusOK: 1, http.StatusUnprocessableEntity: 1}, codes, "%v", got)
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract), "one installment paid, not two")
	for _, a := range got {
		if a.code == http.StatusOK {
			assert.Equal(t, "paid", a.body["installment_status"])
		}
	}

	// The same request four times at once, with another key: one runs, all answer it.
	p3 := path + "3/mark-paid"
	got = make([]answer, 4)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i].code, got[i].body = s.call("POST", p3, mark, "Idempotency-Key", "pay-3")
		}()
	}
	wg.Wait()
	for _, a := range got {
		assert.Equal(t, http.StatusOK, a.code, "%v", a.body)
		assert.Equal(t, got[0].body, a.body)
	}
	assert.Equal(t, 2, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract))
	assert.Equal(t, 1, s.count(`SELECT count(*) FROM payments p JOIN installments i ON i.id = p.installment_id WHERE p.contract_id = $1 AND i.number = 3`, contract))
}
