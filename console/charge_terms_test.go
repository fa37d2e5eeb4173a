package console

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChargeTermsSummary(t *testing.T) {
	cases := []struct{ api, want string }{
		{`{"fine_percent":"0.00","interest_percent_per_month":"0.00","discount":null}`, ""},
		{`{"fine_percent":"2.00","interest_percent_per_month":"1.00","discount":{"kind":"percentage","amount":null,"percent":"5.00","days_before_due":0}}`,
			"Paid late: 2,00% fine and 1,00% interest a month · Paid early: 5,00% off up to the due date"},
		{`{"fine_percent":"0.00","interest_percent_per_month":"0.50","discount":{"kind":"fixed","amount":"1234.50","percent":null,"days_before_due":3}}`,
			"Paid late: 0,50% interest a month · Paid early: R$ 1.234,50 off up to 3 days before the due date"},
		{`{"fine_percent":"10.00","interest_percent_per_month":"0.00","discount":null}`, "Paid late: 10,00% fine"},
	}
	for _, tc := range cases {
		var terms chargeTerms
		require.NoError(t, json.Unmarshal([]byte(tc.api), &terms))
		assert.Equal(t, tc.want, terms.Summary(), tc.api)
	}
}
