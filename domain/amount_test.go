package domain_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"billing/domain"
)

func TestAmountProblem(t *testing.T) {
	for _, tc := range []struct {
		amount string
		ok     bool
	}{
		{"0", true}, {"0.01", true}, {"100", true}, {"100.10", true}, {"1.50000", true}, {"999999999999.99", true},
		{"1000000000000", false}, {"1e13", false}, {"-0.01", false}, {"-100", false}, {"100.005", false}, {"0.001", false},
	} {
		t.Run(tc.amount, func(t *testing.T) {
			why := domain.AmountProblem(decimal.RequireFromString(tc.amount))
			if tc.ok {
				assert.Empty(t, why)
			} else {
				assert.NotEmpty(t, why)
			}
		})
	}
}
