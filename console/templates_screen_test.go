package console

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The rule editor sends the rows that name a kind, in amounts and percents as the
// API takes them, and puts the API's errors back on the rows they came from.
func TestRuleRowsAndTheirErrors(t *testing.T) {
	f := &templateForm{Rows: []ruleRow{
		{Kind: "fee"}, {}, {Kind: "percentage", PayeeID: "p1", Percent: "12,5"}, {}, {Kind: "fixed", PayeeID: "p2", Amount: "1.234,50"},
	}}
	rules, sent := f.rules()
	assert.Equal(t, []int{0, 2, 4}, sent)
	assert.Equal(t, []map[string]any{
		{"kind": "fee"},
		{"kind": "percentage", "payee_id": "p1", "percent": "12.5"},
		{"kind": "fixed", "payee_id": "p2", "amount": "1234.50"},
	}, rules)
	f.placeErrors(map[string]string{"split_rules[1].percent": "too much", "split_rules[2].payee_id": "archived",
		"split_rules": "percentages over 100", "name": "is required"}, sent)
	assert.Equal(t, map[string]string{"percent": "too much"}, f.Rows[2].Errors)
	assert.Equal(t, map[string]string{"payee_id": "archived"}, f.Rows[4].Errors)
	assert.Nil(t, f.Rows[0].Errors)
	assert.Equal(t, "percentages over 100", f.RulesError)
}

func TestNumbersAreSentAsNumbersWhenTheyAreOnes(t *testing.T) {
	for in, want := range map[string]any{"12": 12, " 3 ": 3, "doze": "doze", "1.5": "1.5"} {
		assert.Equal(t, want, number(in), in)
	}
}
