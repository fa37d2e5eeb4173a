package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reconciliations: Run before Asaas is configured is the API's refusal on the list;
// a run's report refreshes itself while it runs and then shows what it checked;
// another account's run is the same 404 page as a missing one; a forged Run starts
// nothing.
func TestReconciliationPages(t *testing.T) {
	s := newStack(t)
	theirs := s.rival()
	v := s.visitor()
	v.signIn(s.token)

	list := v.get("/console/reconciliations")
	require.Equal(t, http.StatusOK, list.Status, list.Body)
	assert.Contains(t, list.Body, "No reconciliation yet")
	assert.NotContains(t, list.Body, `id="run-reconciliation"`, "Run needs Asaas")
	assert.Contains(t, list.Body, "Integrate your Asaas account")
	refused := v.post("/console/reconciliations", url.Values{"_csrf": {list.csrf(t)}, "_idem": {uuid.NewString()}})
	assert.Equal(t, http.StatusConflict, refused.Status, refused.Body)
	assert.Contains(t, refused.Body, "Asaas is not configured yet", "the API's refusal, on the list")
	assert.Equal(t, 1, s.rows("reconciliations"), "only the other account's run exists")

	f := s.paidFixture() // configures Asaas, and gives the run a contract to ask
	list = v.get("/console/reconciliations")
	require.Contains(t, list.Body, `id="run-reconciliation"`)

	cases := []struct {
		name, path string
		post       url.Values
		status     int
		want       string
	}{
		{"another account's run", "/console/reconciliations/" + theirs.reconciliation, nil, http.StatusNotFound, "reconciliation was not found."},
		{"a run that does not exist", "/console/reconciliations/" + uuid.NewString(), nil, http.StatusNotFound, "reconciliation was not found."},
		{"Run without the CSRF token", "/console/reconciliations", url.Values{"_csrf": {"forged"}}, http.StatusForbidden, "did not come from this console"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p page
			if tc.post != nil {
				p = v.post(tc.path, tc.post)
			} else {
				p = v.get(tc.path)
			}
			assert.Equal(t, tc.status, p.Status, p.Body)
			assert.Contains(t, p.Body, tc.want)
			assert.Equal(t, 1, s.rows("reconciliations"), "only the other account's run exists")
		})
	}

	started := v.post("/console/reconciliations", url.Values{"_csrf": {list.csrf(t)}, "_idem": {list.idem(t)}})
	require.Equal(t, http.StatusOK, started.Status, started.Body)
	require.True(t, strings.HasPrefix(started.URL, "/console/reconciliations/"), started.URL)
	assert.Contains(t, started.Body, "Reconciliation started")
	if strings.Contains(started.Body, `id="reconciliation-status">running<`) {
		assert.Contains(t, started.Body, `<meta http-equiv="refresh" content="2">`, "a running report refreshes itself")
	}
	var report page
	eventually(t, "the run completes", func() bool {
		report = v.get(started.URL)
		return strings.Contains(report.Body, `id="reconciliation-status">completed<`)
	})
	assert.NotContains(t, report.Body, `http-equiv="refresh"`, "a finished report stays still")
	assert.Regexp(t, `Charges checked<strong>[1-9][0-9]*</strong>`, report.Body, "the installments of %s were asked about", f.contract)
	assert.Contains(t, report.Body, "every contract agreed with Asaas")
	assert.Contains(t, v.get("/console/reconciliations").Body, `href="`+started.URL+`"`, "the list links the run")
}
