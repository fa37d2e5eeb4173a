package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"billing/tenant"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHowToUseInTheBrowser walks the release note's "How to use" steps 1-7 in
// headless Chromium against the real stack (Asaas simulator, Temporal, PostgreSQL):
// settings → payees → template (live split preview) → client → contract (schedule
// before saving) → activate → pay at the simulator → the Gateway badge and the splits
// → Mark as paid in the modal → payout recorded → an open installment's due date
// changed → one payout voided (its entries pending again) → a reconciliation run and
// its report → a second contract cancelled. Then
// the focused checks: a forged form is refused, another account's contract is the
// same 404 page as a missing one, every page came with the strict CSP and broke no
// rule of it, and the contract page fits 360 px. Screenshots of each screen go to
// CONSOLE_SCREENSHOTS (make screenshots: docs/screenshots) or a temporary folder.
func TestHowToUseInTheBrowser(t *testing.T) {
	s := newStack(t)
	b := newBrowser(t, s.url)
	firstDue := time.Now().In(saoPaulo).AddDate(0, 0, 10)

	// Sign in: /console/ asks for it, then comes back.
	assert.EqualValues(t, http.StatusOK, b.open("/console/"))
	b.waitText("h1", "Sign in")
	b.shot("01-sign-in")
	b.set("#token", s.token)
	require.EqualValues(t, http.StatusOK, b.submit("#sign-in-form button[type=submit]"))
	b.waitText("#who", "ops@acme.test")

	// 1. Settings: the Asaas key (masked once saved), environment, webhook secret; test the connection.
	b.open("/console/settings")
	b.set("#api_key", s.merchant.APIKey)
	b.set("#environment", "sandbox")
	b.set("#webhook_secret", s.secret)
	b.submit("#save-settings")
	b.waitText("#flash", "Asaas settings saved")
	b.waitText("#webhook-token", s.secret) // shown once: the token to paste into Asaas
	b.waitText("#masked-key", "$aact_****"+s.merchant.APIKey[len(s.merchant.APIKey)-4:])
	assert.NotContains(t, b.textNow("main"), s.merchant.APIKey, "the key is never shown whole")
	b.submit("#test-connection")
	b.waitText("#connection-test", "works")
	b.waitText("#webhook-url", s.url+"/webhooks/asaas")
	b.shot("02-settings")

	// 2. Payees: the API's field errors appear next to their fields; then two payees.
	b.open("/console/payees/new")
	b.set("#name", "Agente")
	b.set("#cpf_cnpj", "123")
	assert.EqualValues(t, http.StatusUnprocessableEntity, b.submit("#save-payee"))
	b.waitText("#cpf_cnpj + .field-error", "CPF")
	b.shot("03-payee-field-error")
	b.set("#cpf_cnpj", "529.982.247-25")
	b.set("#asaas_wallet_id", s.wallet.WalletID)
	b.set("#pix_key_type", "CPF")
	b.set("#pix_key", "52998224725")
	b.submit("#save-payee")
	b.waitText("#flash", "Payee created")
	b.open("/console/payees/new")
	b.set("#name", "Franquia")
	b.eval(`document.querySelector('input[name=person_type][value=company]').checked = true`)
	b.set("#cpf_cnpj", "11.222.333/0001-81")
	b.set("#bank_code", "001")
	b.set("#agency", "1234")
	b.set("#account", "56789")
	b.set("#account_digit", "0")
	b.set("#account_type", "CHECKING")
	b.submit("#save-payee")
	b.waitText("#payees", "Franquia")
	b.waitText("#payees", "splits via Asaas")
	b.shot("04-payees")

	// 3. Template: the four rule kinds; the live preview allocates R$ 100,00 paid with a
	// R$ 1,99 fee as payments are: 10% of the net rounded down, fixed, remainder.
	b.open("/console/templates/new")
	b.set("#name", "Padrão")
	b.set("#installment_count", "3")
	b.set("#billing_type", "PIX")
	b.choose("#rule-1 select[name=kind]", "percentage")
	b.choose("#rule-1 select[name=payee_id]", "Agente")
	b.set("#rule-1 input[name=percent]", "10")
	b.choose("#rule-2 select[name=kind]", "fixed")
	b.choose("#rule-2 select[name=payee_id]", "Franquia")
	b.set("#rule-2 input[name=amount]", "5,00")
	b.choose("#rule-3 select[name=kind]", "remainder")
	b.choose("#rule-3 select[name=payee_id]", "Franquia")
	b.waitText("#split-preview", "R$ 83,21")
	preview := b.textNow("#split-preview")
	for _, want := range []string{"R$ 1,99", "R$ 98,01", "R$ 9,80", "R$ 5,00", "R$ 83,21", "= paid"} {
		assert.Contains(t, preview, want)
	}
	b.waitText("#preview-total", "R$ 100,00")
	b.set("#example_amount", "1.234,56")
	b.waitText("#split-preview", "R$ 123,25") // 10% of 1.232,57, rounded down
	b.set("#example_amount", "100,00")
	b.waitText("#preview-total", "R$ 100,00")
	b.shot("05-template-editor")
	b.submit("#save-template")
	b.waitText("#templates", "Padrão")

	// The client the contracts bill.
	b.open("/console/clients/new")
	b.set("#name", "Cliente Exemplo")
	b.set("#cpf_cnpj", "249.715.637-92")
	b.set("#email", "cliente@example.com")
	b.submit("#save-client")
	b.waitText("#clients", "Cliente Exemplo")

	// 4. Contract from the template: the schedule is shown before saving.
	contract := b.newContract("300,00", firstDue)
	b.waitText("#contract-status", "draft")

	// 5. Activate: the workflow issues one charge per installment (progress shown meanwhile).
	b.submit("#activate")
	b.waitText("#flash", "Contract activated")
	b.until("/console/contracts/"+contract, "#installments", "open") // the page also refreshes itself
	b.until("/console/contracts/"+contract, "#installments tbody", strings.Repeat("open", 1))
	b.waitAllOpen("/console/contracts/"+contract, 3)
	b.waitText("#pay-box", "PIX")
	b.waitText("#payment-link", "Payment link")
	assert.NotEmpty(t, b.eval(`document.querySelector('#pix-qr') ? document.querySelector('#pix-qr').naturalWidth : 0`))
	link := b.attr("#temporal-link", "href")
	assert.Equal(t, "http://127.0.0.1:8233/namespaces/default/workflows/contract%2F"+contract, link)
	b.shot("06-contract-active")

	// 6. The customer pays #1 by PIX at the simulator: the webhook applies it and its splits.
	payment := s.chargeOf(contract, 1)
	s.simPay(payment)
	b.until("/console/contracts/"+contract, "#installment-1", "Gateway")
	row := b.textNow("#installment-1")
	for _, want := range []string{"paid", "Gateway", "R$ 100,00", "fee R$ 1,99", "Agente R$ 9,80", "sent to gateway", "Franquia R$ 5,00", "Franquia R$ 83,21", "pending"} {
		assert.Contains(t, row, want)
	}

	// Mark #2 as paid in the modal: amount and date (pt-BR), then the Manual badge and who recorded it.
	b.run(chromedp.Click(chromedp.CSS("#installment-2 a.mark-paid"), chromedp.NodeVisible))
	b.run(chromedp.WaitVisible(chromedp.CSS("#mark-paid-2 input[name=amount]")))
	assert.Equal(t, "100,00", b.eval(`document.querySelector('#mark-paid-2 input[name=amount]').value`))
	assert.Equal(t, todayBR(), b.eval(`document.querySelector('#mark-paid-2 input[name=paid_on]').value`))
	b.shot("07-mark-paid-modal")
	b.submit("#mark-paid-2 button.confirm-mark-paid")
	b.waitText("#flash", "Payment recorded")
	row = b.textNow("#installment-2")
	for _, want := range []string{"paid", "Manual", "recorded by ops@acme.test", "Agente R$ 10,00", "Franquia R$ 85,00"} {
		assert.Contains(t, row, want)
	}
	assert.Contains(t, b.textNow("#installment-1"), "Gateway")
	b.waitText("#total-paid", "R$ 200,00")
	b.shot("08-contract-paid")

	// 7. Payout report: select every pending entry, record the payout (one per payee).
	b.open("/console/payouts")
	b.waitText("#grand-totals", "R$ 188,21") // 5,00 + 83,21 (#1) + 10,00 + 5,00 + 85,00 (#2) pending
	b.shot("09-payout-report")
	b.eval(`document.querySelectorAll('input[data-select-all]').forEach(c => c.click())`) // each payee's "select all"
	assert.EqualValues(t, 5, b.eval(`document.querySelectorAll('input[name=entry_ids]:checked').length`))
	b.set("#payout-form input[name=reference]", "PIX lote 1")
	b.submit("#record-payout")
	b.waitText("#flash", "Payout recorded")
	b.waitText("#recent-payouts", "PIX lote 1")
	recent := b.textNow("#recent-payouts")
	assert.Contains(t, recent, "R$ 178,21", "Franquia: 5,00 + 83,21 (#1) + 5,00 + 85,00 (#2)")
	assert.Contains(t, recent, "R$ 10,00", "Agente: 10% of #2, paid by hand (Asaas paid its 9,80 of #1)")
	assert.Contains(t, b.textNow("#grand-totals"), "pendingR$ 0,00")
	csv := b.attr("#download-csv", "href")
	assert.True(t, strings.HasPrefix(csv, "/console/payouts/report.csv"), csv)

	// Change installment #3's due date through its form (typed dd/mm/aaaa): the page and the charge follow.
	newDue := firstDue.AddDate(0, 2, 7).Format("02/01/2006")
	b.open("/console/contracts/" + contract + "/installments/3")
	b.set("#due_date", newDue)
	b.shot("16-installment-change")
	b.submit("#save-change")
	b.waitText("#flash", "Installment changed")
	b.waitText("#installment-terms", "due "+newDue)
	b.open("/console/contracts/" + contract)
	b.waitText("#installment-3", newDue)

	// Void Agente's payout (recorded by mistake): its entry goes back to pending.
	b.open("/console/payouts/recorded")
	b.waitText("#payouts", "Agente")
	b.shot("17-payouts")
	agente := b.eval(`[...document.querySelectorAll('#payouts tbody tr')].find(r => r.textContent.includes('Agente')).querySelector('a').getAttribute('href')`).(string)
	b.open(agente)
	b.waitText("#payout-status", "recorded")
	b.waitText("#payout-entries", "paid")
	b.shot("18-payout")
	b.submit("#void-payout")
	b.set("#reason", "pago em duplicidade")
	b.submit("#confirm-void")
	b.waitText("#flash", "Payout voided")
	b.waitText("#payout-status", "voided")
	b.waitText("#void-note", "pago em duplicidade")
	b.waitText("#payout-entries", "pending")
	b.shot("19-payout-voided")
	b.open("/console/payouts")
	b.waitText("#grand-totals", "pendingR$ 10,00")

	// Run a reconciliation: the report refreshes itself while it runs, then shows what it checked.
	b.open("/console/reconciliations")
	b.submit("#run-reconciliation")
	b.waitText("#flash", "Reconciliation started")
	report, err := chromedp.Run(b.ctx, chromedp.Location())
	require.NoError(t, err)
	report = strings.TrimPrefix(report, s.url)
	report = report[:strings.Index(report, "?")]
	b.until(report, "#reconciliation-status", "completed")
	b.waitText("#reconciliation-totals", "Charges checked")
	assert.NotEqual(t, "0", b.eval(`document.querySelector('#reconciliation-totals div:nth-child(2) strong').textContent`))
	b.waitText("#repairs", "every contract agreed with Asaas")
	b.shot("20-reconciliation-report")

	// Cancel a second contract: the confirmation lists its open charges, last to first.
	second := b.newContract("150,00", firstDue)
	b.submit("#activate")
	b.waitAllOpen("/console/contracts/"+second, 3)
	b.open("/console/contracts/" + second + "/cancel")
	order := b.textNow("#charges-to-delete")
	require.Less(t, strings.Index(order, "Installment 3"), strings.Index(order, "Installment 2"), order)
	require.Less(t, strings.Index(order, "Installment 2"), strings.Index(order, "Installment 1"), order)
	b.set("#reason", "cliente desistiu")
	b.shot("10-cancel-confirmation")
	b.submit("#confirm-cancel")
	b.waitText("#flash", "Contract cancelled")
	b.waitText("#contract-status", "cancelled")
	var deleted int
	require.NoError(t, s.pool.QueryRow(context.Background(), "SELECT count(*) FROM charges WHERE contract_id = $1 AND deleted_at IS NOT NULL", second).Scan(&deleted))
	assert.Equal(t, 3, deleted, "every open charge was deleted at Asaas")

	// The records: audit trail, webhook events (outcomes), the contracts list.
	b.open("/console/audit")
	b.waitText("#audit", "contract.cancelled")
	b.shot("11-audit-trail")
	b.open("/console/webhook-events")
	b.waitText("#webhook-events", "processed")
	b.shot("12-webhook-events")
	b.open("/console/contracts?status=active")
	b.waitText("#contracts", "active")
	b.shot("13-contracts")

	parent := t
	within := func(t *testing.T) func() { b.t = t; return func() { b.t = parent } }

	t.Run("a forged form is refused and changes nothing", func(t *testing.T) {
		defer within(t)()
		before := s.rows("payees")
		b.open("/console/payees/new")
		b.set("#name", "Forjado")
		b.set("#cpf_cnpj", "52998224725")
		b.eval(`document.querySelector('#payee-form input[name=_csrf]').value = 'forged'`)
		assert.EqualValues(t, http.StatusForbidden, b.submit("#save-payee"))
		b.waitText("#error-detail", "did not come from this console")
		assert.Equal(t, before, s.rows("payees"))
	})

	t.Run("another account's contract is the same 404 page as a missing one", func(t *testing.T) {
		defer within(t)()
		rival := s.rivalContract()
		assert.EqualValues(t, http.StatusNotFound, b.open("/console/contracts/"+rival))
		theirs := b.text("#error-detail")
		assert.EqualValues(t, http.StatusNotFound, b.open("/console/contracts/"+uuid.NewString()))
		assert.Equal(t, b.text("#error-detail"), theirs)
		assert.Equal(t, "contract was not found.", theirs)
		assert.NotContains(t, b.textNow("main"), "Rival")
	})

	t.Run("the contract page at 360 px", func(t *testing.T) {
		defer within(t)()
		b.run(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
		defer b.run(chromedp.EmulateViewport(1280, 900))
		b.open("/console/contracts/" + contract)
		b.waitText("#installments", "Manual")
		width := b.eval(`document.documentElement.scrollWidth`)
		assert.LessOrEqual(t, width.(float64), float64(360), "no sideways scrolling of the page")
		b.shot("14-contract-360px")
		for _, path := range []string{"/console/contracts/" + contract + "/installments/3", agente, "/console/payouts/recorded", report, "/console/reconciliations"} {
			assert.EqualValues(t, http.StatusOK, b.open(path))
			width := b.eval(`document.documentElement.scrollWidth`)
			assert.LessOrEqual(t, width.(float64), float64(360), "%s: no sideways scrolling of the page", path)
		}
	})

	t.Run("every page had the strict CSP and broke none of it", func(t *testing.T) {
		defer within(t)()
		docs := b.docs()
		require.Greater(t, len(docs), 30)
		for _, d := range docs {
			if strings.Contains(d.URL, "/console/") {
				assert.Equal(t, ContentSecurityPolicy, d.CSP, "%s (%d)", d.URL, d.Status)
			}
		}
		assert.Empty(t, b.errors(), "no CSP violation, no script error")
	})
}

// choose selects the option of a <select> by its visible text.
func (b *browser) choose(sel, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return false;
		const opt = [...el.options].find(o => o.textContent.trim().startsWith(%s)); if (!opt) return false;
		el.value = opt.value; el.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, jsString(sel), jsString(text))
	require.Equal(b.t, true, b.eval(js), "%s has no option %q", sel, text)
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	v := b.eval(fmt.Sprintf(`(document.querySelector(%s) || {getAttribute: () => ""}).getAttribute(%s) || ""`, jsString(sel), jsString(name)))
	return v.(string)
}

// newContract fills "new contract from a template", checks the schedule shown before
// saving (the rounding on the last installment), saves, and returns the contract id.
func (b *browser) newContract(total string, firstDue time.Time) string {
	b.t.Helper()
	b.open("/console/contracts/new")
	b.choose("#template_id", "Padrão")
	b.choose("#client_id", "Cliente Exemplo")
	b.set("#total_amount", total)
	b.set("#first_due_date", firstDue.Format("02/01/2006"))
	b.waitText("#schedule", firstDue.AddDate(0, 2, 0).Format("02/01/2006"))
	if total == "300,00" {
		assert.Equal(b.t, 3, strings.Count(b.textNow("#schedule"), "R$ 100,00"))
		b.shot("15-new-contract")
	}
	b.submit("#create-contract")
	b.waitText("#flash", "Draft contract created")
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	require.NoError(b.t, err)
	id := loc[strings.LastIndex(loc, "/")+1:]
	if i := strings.Index(id, "?"); i >= 0 {
		id = id[:i]
	}
	_, err = uuid.Parse(id)
	require.NoError(b.t, err, loc)
	return id
}

// waitAllOpen reloads the contract until its n installments have their charges.
func (b *browser) waitAllOpen(path string, n int) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		b.open(path)
		open := b.eval(`document.querySelectorAll('#installments .badge.s-open').length`)
		if int(open.(float64)) == n {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: %v of %d installments open", path, open, n)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// apiGet reads the API as the stack's account (what the test itself needs to know).
func (s *stack) apiGet(path string, out any) {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.url+path, nil)
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	require.Equal(s.t, http.StatusOK, resp.StatusCode)
	require.NoError(s.t, json.NewDecoder(resp.Body).Decode(out))
}

// chargeOf is the Asaas payment id of an installment's charge.
func (s *stack) chargeOf(contract string, n int) string {
	var c contractDetail
	s.apiGet("/v1/contracts/"+contract, &c)
	require.NotNil(s.t, c.Installments[n-1].Charge)
	return c.Installments[n-1].Charge.AsaasPaymentID
}

// simPay makes the customer pay a charge by PIX at the simulator.
func (s *stack) simPay(paymentID string) {
	s.t.Helper()
	resp, err := http.Post(s.simURL+"/_sim/payments/"+paymentID+"/pay", "application/json", bytes.NewReader([]byte(`{"billingType":"PIX"}`)))
	require.NoError(s.t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Less(s.t, resp.StatusCode, 300, string(body))
}

func (s *stack) rows(table string) int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// rivalContract is a draft contract of another account, made through the API.
func (s *stack) rivalContract() string {
	s.t.Helper()
	p, err := tenant.CreateAccount(context.Background(), s.pool, "Rival", "ops@rival.test", "Rival", true)
	require.NoError(s.t, err)
	post := func(path string, body map[string]any) string {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", s.url+path, bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+p.Token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(s.t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(s.t, json.NewDecoder(resp.Body).Decode(&out))
		require.Equal(s.t, http.StatusCreated, resp.StatusCode, out)
		return out["id"].(string)
	}
	client := post("/v1/clients", map[string]any{"name": "Rival client", "cpf_cnpj": "52998224725"})
	return post("/v1/contracts", map[string]any{"client_id": client, "billing_type": "PIX", "total_amount": "90.00",
		"installment_count": 1, "first_due_date": time.Now().AddDate(0, 1, 0).Format(time.DateOnly)})
}
