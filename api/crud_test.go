package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listIDs(t *testing.T, page map[string]any) []string {
	t.Helper()
	var out []string
	for _, item := range page["data"].([]any) {
		out = append(out, item.(map[string]any)["id"].(string))
	}
	return out
}

// A row nothing references is deleted; one that is referenced is archived, hidden
// from lists unless asked for, and still readable by id.
func TestDeleteOrArchive(t *testing.T) {
	e := newAPIEnv(t)
	b := e.setUpBusiness(t, e.account(t, "Acme", true))
	loneClient := e.must(t, http.StatusCreated, b.Token, "POST", "/v1/clients", map[string]any{"name": "Lone", "cpf_cnpj": "52998224725"})["id"].(string)
	lonePayee := e.must(t, http.StatusCreated, b.Token, "POST", "/v1/payees", map[string]any{"name": "Lone", "person_type": "person", "cpf_cnpj": "52998224725"})["id"].(string)
	loneTemplate := e.must(t, http.StatusCreated, b.Token, "POST", "/v1/templates", map[string]any{"name": "Lone", "installment_count": 1, "billing_type": "PIX",
		"split_rules": []any{map[string]any{"kind": "remainder", "payee_id": b.walletPayee}}})["id"].(string)

	cases := []struct {
		resource, id, result string
	}{
		{"clients", loneClient, "deleted"},
		{"payees", lonePayee, "deleted"},
		{"templates", loneTemplate, "deleted"}, // its rules go with it; the payee it named stays
		{"clients", b.client, "archived"},      // a contract is for it
		{"payees", b.bankPayee, "archived"},    // rules name it
		{"templates", b.template, "archived"},  // a contract was generated from it
	}
	for _, tc := range cases {
		t.Run(tc.resource+" "+tc.result, func(t *testing.T) {
			path := "/v1/" + tc.resource + "/" + tc.id
			r := e.must(t, http.StatusOK, b.Token, "DELETE", path, nil)
			assert.Equal(t, map[string]any{"id": tc.id, "result": tc.result}, r)
			assert.NotContains(t, listIDs(t, e.must(t, http.StatusOK, b.Token, "GET", "/v1/"+tc.resource, nil)), tc.id)
			if tc.result == "deleted" {
				assert.Equal(t, http.StatusNotFound, e.call(t, b.Token, "GET", path, nil).Code)
				assert.Equal(t, http.StatusNotFound, e.call(t, b.Token, "DELETE", path, nil).Code)
				return
			}
			got := e.must(t, http.StatusOK, b.Token, "GET", path, nil)
			assert.NotNil(t, got["archived_at"])
			assert.Contains(t, listIDs(t, e.must(t, http.StatusOK, b.Token, "GET", "/v1/"+tc.resource+"?archived=true", nil)), tc.id)
			assert.Contains(t, listIDs(t, e.must(t, http.StatusOK, b.Token, "GET", "/v1/"+tc.resource+"?archived=all", nil)), tc.id)
		})
	}
	assert.Equal(t, http.StatusOK, e.call(t, b.Token, "GET", "/v1/payees/"+b.walletPayee, nil).Code)

	t.Run("archived rows cannot be used for new contracts and rules", func(t *testing.T) {
		r := e.call(t, b.Token, "POST", "/v1/contracts", map[string]any{"template_id": b.template, "client_id": b.client, "total_amount": 10, "first_due_date": "2026-08-01"})
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		assert.Contains(t, r.String(), `"field":"client_id","message":"is an archived client"`)
		assert.Contains(t, r.String(), `"field":"template_id","message":"is an archived template"`)
		r = e.call(t, b.Token, "POST", "/v1/templates", map[string]any{"name": "T", "installment_count": 1, "billing_type": "PIX",
			"split_rules": []any{map[string]any{"kind": "remainder", "payee_id": b.bankPayee}}})
		assert.Contains(t, r.String(), `"field":"split_rules[0].payee_id","message":"is an archived payee"`)
	})
	assert.Contains(t, e.auditActions(t, b.AccountID), "client.archived")
	assert.Contains(t, e.auditActions(t, b.AccountID), "template.deleted")
}

func TestPaginationWalksEveryRowOnce(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	var created []string
	for i := range 7 {
		c := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", map[string]any{"name": fmt.Sprintf("Client %d", i), "cpf_cnpj": "52998224725"})
		created = append([]string{c["id"].(string)}, created...) // newest first
	}
	for _, limit := range []int{1, 2, 3, 7, 200} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			var seen []string
			path := fmt.Sprintf("/v1/clients?limit=%d", limit)
			for pages := 0; ; pages++ {
				require.Less(t, pages, 10)
				page := e.must(t, http.StatusOK, u.Token, "GET", path, nil)
				ids := listIDs(t, page)
				assert.LessOrEqual(t, len(ids), limit)
				seen = append(seen, ids...)
				next, _ := page["next_cursor"].(string)
				if next == "" {
					break
				}
				path = fmt.Sprintf("/v1/clients?limit=%d&cursor=%s", limit, next)
			}
			assert.Equal(t, created, seen)
		})
	}
	t.Run("search", func(t *testing.T) {
		assert.Len(t, listIDs(t, e.must(t, http.StatusOK, u.Token, "GET", "/v1/clients?q=client%203", nil)), 1)
		assert.Len(t, listIDs(t, e.must(t, http.StatusOK, u.Token, "GET", "/v1/clients?q=52998224725", nil)), 7)
	})
	for _, q := range []string{"limit=0", "limit=201", "limit=x", "cursor=garbage", "archived=maybe"} {
		t.Run("bad "+q, func(t *testing.T) {
			assert.Equal(t, http.StatusUnprocessableEntity, e.call(t, u.Token, "GET", "/v1/clients?"+q, nil).Code)
		})
	}
}

func TestPayeeEdits(t *testing.T) {
	e := newAPIEnv(t)
	u := e.account(t, "Acme", true)
	p := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payees", franchisePayee)
	path := "/v1/payees/" + p["id"].(string)
	steps := []struct {
		name  string
		patch map[string]any
		check map[string]any
	}{
		{"add a walletId", map[string]any{"asaas_wallet_id": "0b6c6e55-5b6a-4a43-9d7f-2b9a1f3c7d10"}, map[string]any{"asaas_wallet_id": "0b6c6e55-5b6a-4a43-9d7f-2b9a1f3c7d10", "bank_code": "341"}},
		{"replace the PIX key", map[string]any{"pix_key": "+55 (11) 98765-4321", "pix_key_type": "PHONE"}, map[string]any{"pix_key": "+5511987654321", "pix_key_type": "PHONE"}},
		{"remove the bank account", map[string]any{"bank_code": nil, "agency": nil, "account": nil, "account_digit": nil, "account_type": nil}, map[string]any{"bank_code": nil, "account_type": nil}},
		{"become a person", map[string]any{"person_type": "person", "cpf_cnpj": "249.715.637-92"}, map[string]any{"person_type": "person", "cpf_cnpj": "24971563792"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got := e.must(t, http.StatusOK, u.Token, "PATCH", path, st.patch)
			for k, v := range st.check {
				assert.Equal(t, v, got[k], k)
			}
		})
	}
	r := e.call(t, u.Token, "PATCH", path, map[string]any{"person_type": "company"})
	assert.Equal(t, http.StatusUnprocessableEntity, r.Code, "a company needs a CNPJ: the merged payee is validated")
}
