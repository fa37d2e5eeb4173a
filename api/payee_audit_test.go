package api

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payeeEdits are the payee.updated audit events of the account, oldest first.
func (e *apiEnv) payeeEdits(t *testing.T, token string) []map[string]any {
	t.Helper()
	rows := e.must(t, http.StatusOK, token, "GET", "/v1/audit-events?action=payee.updated", nil)["data"].([]any)
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[len(rows)-1-i] = r.(map[string]any)
	}
	return out
}

// A payee edit is audited with the old and new value of every field it changed;
// documents, PIX keys and bank account numbers only masked.
func TestPayeeEditsAreAuditedWithOldAndNewValues(t *testing.T) {
	e := newAPIEnv(t)
	a := e.account(t, "Acme", true)
	payee := e.must(t, http.StatusCreated, a.Token, "POST", "/v1/payees", franchisePayee)["id"].(string)

	e.must(t, http.StatusOK, a.Token, "PATCH", "/v1/payees/"+payee, map[string]any{
		"name": "Franquia Norte Ltda", "pix_key": "franquia@example.com", "pix_key_type": "EMAIL",
		"agency": "4321", "account": "998877", "account_digit": "5", "bank_code": "341",
	})
	edits := e.payeeEdits(t, a.Token)
	require.Len(t, edits, 1)
	assert.Equal(t, payee, edits[0]["entity_id"])
	assert.Equal(t, a.UserID.String(), edits[0]["actor_id"])
	data := edits[0]["data"].(map[string]any)
	assert.ElementsMatch(t, []any{"name", "pix_key", "pix_key_type", "agency", "account", "account_digit", "bank_code"}, data["fields"])
	assert.Equal(t, map[string]any{
		"name":          map[string]any{"old": "Franquia Centro Ltda", "new": "Franquia Norte Ltda"},
		"pix_key":       map[string]any{"old": "************81", "new": "******************om"},
		"pix_key_type":  map[string]any{"old": "CNPJ", "new": "EMAIL"},
		"agency":        map[string]any{"old": "****", "new": "****"},
		"account":       map[string]any{"old": "****90", "new": "****77"},
		"account_digit": map[string]any{"old": "*", "new": "*"},
	}, data["changes"], "only what changed (bank_code was sent unchanged)")

	// Removing the bank account and changing the document: nulls, masked documents.
	e.must(t, http.StatusOK, a.Token, "PATCH", "/v1/payees/"+payee, map[string]any{
		"cpf_cnpj": "11.444.777/0001-61", "bank_code": nil, "agency": nil, "account": nil, "account_digit": nil, "account_type": nil,
	})
	edits = e.payeeEdits(t, a.Token)
	require.Len(t, edits, 2)
	assert.Equal(t, map[string]any{
		"cpf_cnpj":      map[string]any{"old": "************81", "new": "************61"},
		"bank_code":     map[string]any{"old": "341", "new": nil},
		"agency":        map[string]any{"old": "****", "new": nil},
		"account":       map[string]any{"old": "****77", "new": nil},
		"account_digit": map[string]any{"old": "*", "new": nil},
		"account_type":  map[string]any{"old": "CHECKING", "new": nil},
	}, edits[1]["data"].(map[string]any)["changes"])

	trail := e.call(t, a.Token, "GET", "/v1/audit-events?limit=200", nil).String()
	for _, clear := range []string{"11222333000181", "11444777000161", "franquia@example.com", "567890", "998877", "4321"} {
		assert.NotContains(t, trail, clear, "the audit trail never holds %s in clear", clear)
	}

	// A refused edit changes nothing and is not audited; an edit to the same values
	// is audited with no changes.
	r := e.call(t, a.Token, "PATCH", "/v1/payees/"+payee, map[string]any{"pix_key": "not-a-key", "pix_key_type": "CPF"})
	require.Equal(t, http.StatusUnprocessableEntity, r.Code)
	assert.Len(t, e.payeeEdits(t, a.Token), 2)
	e.must(t, http.StatusOK, a.Token, "PATCH", "/v1/payees/"+payee, map[string]any{"name": "Franquia Norte Ltda"})
	edits = e.payeeEdits(t, a.Token)
	require.Len(t, edits, 3)
	assert.Empty(t, edits[2]["data"].(map[string]any)["changes"])
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{"": "", "1": "*", "1234": "****", "12345": "*****", "567890": "****90", "ana@exemplo.com.br": "****************br", "joão.silva": "********va"} {
		assert.Equal(t, want, mask(in), in)
	}
}
