package asaassim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// started is one run of a simulator on a state file.
type started struct {
	s  *Server
	ts *httptest.Server
}

// start opens a simulator on file with the clock pinned to the capture day; the
// test stops it (stop) to restart it, or the cleanup does.
func start(t *testing.T, file string, opts Options) *started {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedClock(captureDay)
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	opts.StateFile = file
	s, err := Open(opts)
	require.NoError(t, err)
	r := &started{s: s, ts: httptest.NewServer(s.Handler())}
	t.Cleanup(r.stop)
	return r
}

func (r *started) stop() {
	r.ts.Close()
	r.s.Close()
}

// get answers path as the account with key sees it, byte for byte.
func (r *started) get(t *testing.T, key, path string) string {
	t.Helper()
	status, raw := newClient(t, r.ts, key).do("GET", path, nil)
	require.Equal(t, http.StatusOK, status, "GET %s: %s", path, raw)
	return string(raw)
}

func TestStateSurvivesARestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim.json")
	rc := newReceiver(t, nil)
	one := start(t, file, Options{})
	merchant := one.s.CreateAccount("Loja")
	payee := one.s.CreateAccount("Agente")
	require.NoError(t, one.s.SetWebhook(merchant.ID, WebhookConfig{URL: rc.srv.URL, AuthToken: "tok", Enabled: true,
		Name: "billing", Email: "ops@example.com", Events: []string{"PAYMENT_CREATED", "PAYMENT_RECEIVED"}}))
	c := newClient(t, one.ts, merchant.APIKey)
	ctl := newClient(t, one.ts, "")
	cust := c.ok("POST", "/v3/customers", map[string]any{"name": "Maria", "cpfCnpj": "24971563792",
		"email": "maria@example.com", "externalReference": "client-1"})["id"].(string)
	pix := c.charge(cust, map[string]any{"billingType": "PIX", "value": 100, "externalReference": "billing:c1:1",
		"split": []map[string]any{{"walletId": payee.WalletID, "percentualValue": 10}}})["id"].(string)
	ctl.ok("POST", "/_sim/payments/"+pix+"/pay", nil)
	plan := c.ok("POST", "/v3/installments", map[string]any{"customer": cust, "billingType": "BOLETO",
		"installmentCount": 3, "totalValue": 350, "dueDate": "2026-07-24"})["id"].(string)
	card := c.charge(cust, map[string]any{"billingType": "CREDIT_CARD", "value": 50,
		"creditCard":           map[string]any{"holderName": "Maria", "number": sandboxCard, "expiryMonth": "12", "expiryYear": "2030", "ccv": "123"},
		"creditCardHolderInfo": map[string]any{"name": "Maria", "cpfCnpj": "24971563792", "postalCode": "01310100", "addressNumber": "1"}})["id"].(string)
	ctl.ok("POST", "/_sim/payments/"+card+"/refund", nil)
	cash := c.charge(cust, map[string]any{"billingType": "BOLETO", "value": 80})["id"].(string)
	c.ok("POST", "/v3/payments/"+cash+"/receiveInCash", map[string]any{"paymentDate": "2026-07-14", "value": 80})
	link := c.ok("POST", "/v3/paymentLinks", map[string]any{"name": "Curso", "billingType": "PIX", "chargeType": "DETACHED", "value": 30})["id"].(string)
	ctl.ok("POST", "/_sim/paymentLinks/"+link+"/pay", nil)
	transfer := c.ok("POST", "/v3/transfers", map[string]any{"value": 20, "pixAddressKey": "maria@example.com", "pixAddressKeyType": "EMAIL"})["id"].(string)
	bill := ctl.ok("POST", "/_sim/bills", map[string]any{"accountId": merchant.ID, "value": 15})["id"].(string)
	require.NoError(t, one.s.SetBillStatus(bill, "PENDING", nil))
	waitFor(t, "the queue to drain", func() bool { st, _ := one.s.Webhook(merchant.ID); return st.Queued == 0 })
	require.NoError(t, one.s.PauseWebhooks(merchant.ID))
	waiting := c.charge(cust, map[string]any{"billingType": "PIX", "value": 12})["id"].(string)

	paths := []string{
		"/v3/customers", "/v3/customers/" + cust, "/v3/payments?limit=100", "/v3/payments/" + pix, "/v3/payments/" + card,
		"/v3/payments/" + cash, "/v3/payments/" + waiting, "/v3/payments?externalReference=billing:c1:1",
		"/v3/installments/" + plan, "/v3/installments/" + plan + "/payments", "/v3/paymentLinks/" + link,
		"/v3/transfers/" + transfer, "/v3/bill/" + bill, "/v3/finance/balance", "/v3/webhooks",
		"/v3/payments/" + pix + "/pixQrCode",
	}
	before := map[string]string{}
	for _, p := range paths {
		before[p] = one.get(t, merchant.APIKey, p)
	}
	payeeBalance := one.get(t, payee.APIKey, "/v3/finance/balance")
	hook, _ := one.s.Webhook(merchant.ID)
	one.stop()

	two := start(t, file, Options{})
	for _, p := range paths {
		assert.Equal(t, before[p], two.get(t, merchant.APIKey, p), "GET %s after the restart", p)
	}
	assert.Equal(t, payeeBalance, two.get(t, payee.APIKey, "/v3/finance/balance"), "the split's wallet kept its credit")
	after, _ := two.s.Webhook(merchant.ID)
	assert.Equal(t, hook, after, "queue configuration, pause and the undelivered event")
	assert.Equal(t, 1, after.Queued)
	assert.True(t, after.Paused)

	t.Run("sequences continue", func(t *testing.T) {
		c2 := newClient(t, two.ts, merchant.APIKey)
		var old map[string]any
		require.NoError(t, json.Unmarshal([]byte(before["/v3/payments/"+waiting]), &old))
		next := c2.charge(cust, map[string]any{"billingType": "BOLETO", "value": 10})
		assert.Equal(t, seqAfter(t, old["invoiceNumber"].(string)), next["invoiceNumber"], "invoiceNumber")
		var cashCharge map[string]any
		require.NoError(t, json.Unmarshal([]byte(before["/v3/payments/"+cash]), &cashCharge))
		assert.Equal(t, seqAfter(t, cashCharge["nossoNumero"].(string)), next["nossoNumero"], "nossoNumero")
		var customers struct{ Data []struct{ ID string } }
		require.NoError(t, json.Unmarshal([]byte(before["/v3/customers"]), &customers))
		assert.Equal(t, seqAfter(t, customers.Data[0].ID), c2.customer(), "customer id (after the link's payer)")
		assert.Equal(t, seqAfter(t, link), c2.ok("POST", "/v3/paymentLinks", map[string]any{"name": "B", "billingType": "PIX", "chargeType": "DETACHED"})["id"], "payment link id")
	})
}

// seqAfter is the id or number that follows a zero-padded sequential one.
func seqAfter(t *testing.T, id string) string {
	t.Helper()
	i := strings.IndexFunc(id, func(r rune) bool { return r >= '0' && r <= '9' })
	n, err := strconv.ParseInt(id[i:], 10, 64)
	require.NoError(t, err, id)
	return id[:i] + pad(n+1, len(id)-i)
}

func TestChargeFromBeforeARestartIsPaidAfterItAndNotified(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim.json")
	rc := newReceiver(t, nil)
	one := start(t, file, Options{})
	acct := hookedAccount(t, one.s, rc)
	c := newClient(t, one.ts, acct.APIKey)
	id := c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 42})["id"].(string)
	assert.Equal(t, "PAYMENT_CREATED", eventName(rc.next(t)))
	delivered(t, one.s, acct.ID, 1)
	one.stop()

	two := start(t, file, Options{})
	newClient(t, two.ts, "").ok("POST", "/_sim/payments/"+id+"/pay", nil)
	h := rc.next(t)
	assert.Equal(t, "PAYMENT_RECEIVED", eventName(h))
	assert.Equal(t, id, paymentOf(h)["id"])
	assert.Equal(t, "tok-secret", h.token, "the webhook's token survived")
	ds := delivered(t, two.s, acct.ID, 1)
	assert.Equal(t, "PAYMENT_RECEIVED", ds[0].Event, "delivered events of the first run are not kept")
	assert.Equal(t, "RECEIVED", newClient(t, two.ts, acct.APIKey).payment(id)["status"])
}

func TestUndeliveredEventsAreSentAfterARestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim.json")
	rc := newReceiver(t, func(int) int { return http.StatusServiceUnavailable })
	one := start(t, file, Options{RetryBase: 20 * time.Microsecond})
	acct := hookedAccount(t, one.s, rc)
	c := newClient(t, one.ts, acct.APIKey)
	cust := c.customer()
	first := c.charge(cust, map[string]any{"billingType": "PIX", "value": 10})["id"]
	second := c.charge(cust, map[string]any{"billingType": "PIX", "value": 20})["id"]
	waitFor(t, "the queue to be interrupted", func() bool { st, _ := one.s.Webhook(acct.ID); return st.Paused })
	queued, _ := one.s.Deliveries(acct.ID)
	one.stop()

	rc.setAnswer(nil)
	two := start(t, file, Options{RetryBase: 20 * time.Microsecond})
	hook := newClient(t, two.ts, acct.APIKey).ok("GET", "/v3/webhooks/"+webhookID(acct.ID), nil)
	assert.Equal(t, true, hook["interrupted"], "still interrupted after the restart")
	assert.Equal(t, float64(15), hook["penalizedRequestsCount"])
	kept, _ := two.s.Deliveries(acct.ID)
	require.Len(t, kept, 2)
	assert.Equal(t, queued[0].EventID, kept[0].EventID)
	assert.Len(t, kept[0].Attempts, 15, "attempts are kept with the event")

	require.NoError(t, two.s.ResumeWebhooks(acct.ID))
	got := rc.events(t, 2)
	assert.Equal(t, []any{first, second}, []any{paymentOf(got[0])["id"], paymentOf(got[1])["id"]})
	assert.Equal(t, queued[0].EventID, got[0].env["id"], "the same event, same id")
}

func TestStateFileIsWrittenSoonAfterAChange(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sim.json")
	one := start(t, file, Options{SaveDelay: 10 * time.Millisecond})
	_, err := os.Stat(file)
	assert.ErrorIs(t, err, os.ErrNotExist, "a fresh simulator writes nothing before a change")
	acct := one.s.CreateAccount("A")
	waitFor(t, "the state file", func() bool {
		raw, err := os.ReadFile(file)
		return err == nil && strings.Contains(string(raw), acct.APIKey)
	})
	c := newClient(t, one.ts, acct.APIKey)
	cust := c.customer()
	waitFor(t, "the customer in the state file", func() bool {
		raw, _ := os.ReadFile(file)
		return strings.Contains(string(raw), cust)
	})
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")
	info, err := entries[0].Info()
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "API keys inside: owner only")
}

func TestStateFileProblems(t *testing.T) {
	valid := func(t *testing.T, dir string) []byte {
		one := start(t, filepath.Join(dir, "seed.json"), Options{})
		acct := one.s.CreateAccount("A")
		c := newClient(t, one.ts, acct.APIKey)
		c.charge(c.customer(), map[string]any{"billingType": "PIX", "value": 10})
		one.stop()
		raw, err := os.ReadFile(filepath.Join(dir, "seed.json"))
		require.NoError(t, err)
		return raw
	}
	cases := []struct {
		name    string
		content func(t *testing.T, dir string) []byte // nil: no file
		wantErr string
	}{
		{name: "missing file is a fresh start"},
		{name: "garbage", content: func(*testing.T, string) []byte { return []byte("{not json") }, wantErr: "not valid JSON"},
		{name: "empty", content: func(*testing.T, string) []byte { return nil }, wantErr: "not valid JSON"},
		{name: "cut short", content: func(t *testing.T, dir string) []byte { raw := valid(t, dir); return raw[:len(raw)/2] }, wantErr: "not valid JSON"},
		{name: "another kind of file", content: func(*testing.T, string) []byte { return []byte(`{"merchant":{"id":"x"}}`) },
			wantErr: "not a simulator state file"},
		{name: "another format", content: func(*testing.T, string) []byte { return []byte(`{"format":99}`) }, wantErr: "format 99"},
		{name: "dangling reference", content: func(t *testing.T, dir string) []byte {
			raw := valid(t, dir)
			return []byte(strings.Replace(string(raw), `"customerId":"cus_`, `"customerId":"cus_9`, 1))
		}, wantErr: "names unknown customer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "sim.json")
			if tc.content != nil {
				require.NoError(t, os.WriteFile(file, tc.content(t, dir), 0o600))
			}
			s, err := Open(Options{StateFile: file})
			if tc.wantErr == "" {
				require.NoError(t, err)
				assert.Empty(t, s.Accounts())
				s.Close()
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Contains(t, err.Error(), file, "the error names the file")
			assert.Contains(t, err.Error(), "move it away", "and says what to do")
			assert.Panics(t, func() { New(Options{StateFile: file}) })
		})
	}
}

func TestRestartedSeededSimulatorDrawsNewIDs(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim.json")
	plan := func(r *started, key string) string {
		c := newClient(t, r.ts, key)
		return c.ok("POST", "/v3/installments", map[string]any{"customer": c.customer(), "billingType": "PIX",
			"installmentCount": 2, "totalValue": 20, "dueDate": "2026-07-24"})["id"].(string)
	}
	one := start(t, file, Options{Seed: 7})
	acct := one.s.CreateAccount("A")
	first := plan(one, acct.APIKey)
	one.stop()
	two := start(t, file, Options{Seed: 7})
	second := plan(two, acct.APIKey)
	assert.NotEqual(t, first, second, "same seed, but not the same uuid stream")
	c := newClient(t, two.ts, acct.APIKey)
	assert.Equal(t, float64(2), c.ok("GET", "/v3/installments/"+first+"/payments", nil)["totalCount"])
	assert.Equal(t, float64(2), c.ok("GET", "/v3/installments/"+second+"/payments", nil)["totalCount"])
}

func TestCustomerSeqStartOnlyForAFreshState(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sim.json")
	one := start(t, file, Options{CustomerSeqStart: 500})
	acct := one.s.CreateAccount("A")
	assert.Equal(t, "cus_000000000501", newClient(t, one.ts, acct.APIKey).customer())
	one.stop()
	two := start(t, file, Options{CustomerSeqStart: 9000})
	assert.Equal(t, "cus_000000000502", newClient(t, two.ts, acct.APIKey).customer(), "the saved sequence wins")
}
