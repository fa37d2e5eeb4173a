package e2e

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"billing/apiclient"
	"billing/asaassim"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

func money(t *testing.T, s string) apiclient.MoneyInput {
	t.Helper()
	var m apiclient.MoneyInput
	require.NoError(t, m.FromMoneyInput0(s))
	return m
}

// TestTourThroughTheGeneratedClient walks the README's five-minute tour with the Go
// client generated from the OpenAPI document (apiclient), against the whole stack:
// payees, a template, a client and a contract, activation, a PIX payment at the
// simulator, a manual payment with an Idempotency-Key (and its replay), a payout,
// a refund at the simulator (reversal entries: negative amounts), the cancellation
// and the payout report, in JSON and CSV. Every answer is decoded into the client's
// types, and the stack checks every exchange against the document, so when the
// document lies this test breaks.
func TestTourThroughTheGeneratedClient(t *testing.T) {
	s := newStack(t, asaassim.Options{RetryBase: 20 * time.Millisecond})
	ctx := context.Background()
	api, err := apiclient.NewClientWithResponses(s.apiURL, apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+s.token)
		return nil
	}))
	require.NoError(t, err)

	// 1. The account's Asaas settings (make run does this for the demo account).
	settings, err := api.PutAsaasSettingsWithResponse(ctx, apiclient.SettingsInput{ApiKey: &s.merchant.APIKey,
		Environment: ptr(apiclient.SettingsInputEnvironmentSandbox), WebhookSecret: &s.secret})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, settings.StatusCode(), string(settings.Body))
	assert.True(t, settings.JSON200.Configured)
	assert.True(t, settings.JSON200.WebhookSecretConfigured)

	// 2. Payees: one paid automatically through Asaas, one paid by hand.
	agent, err := api.CreatePayeeWithResponse(ctx, nil, apiclient.PayeeInput{Name: "Agente", PersonType: apiclient.PayeeInputPersonTypePerson,
		CpfCnpj: "52998224725", AsaasWalletId: ptr(uuid.MustParse(s.wallet.WalletID))})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, agent.StatusCode(), string(agent.Body))
	franchise, err := api.CreatePayeeWithResponse(ctx, nil, apiclient.PayeeInput{Name: "Franquia", PersonType: apiclient.PayeeInputPersonTypeCompany,
		CpfCnpj: "11222333000181", PixKey: ptr("11222333000181"), PixKeyType: ptr(apiclient.PayeeInputPixKeyTypeCNPJ)})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, franchise.StatusCode(), string(franchise.Body))
	agentID, franchiseID := agent.JSON201.Id, franchise.JSON201.Id
	require.NotNil(t, agent.JSON201.AsaasWalletId)
	assert.Equal(t, s.wallet.WalletID, *agent.JSON201.AsaasWalletId)

	// 3. A template: gateway fee, 10% to the agent, 5.00 fixed and the remainder to the franchise.
	var tenPercent apiclient.PercentInput
	require.NoError(t, tenPercent.FromPercentInput0("10"))
	template, err := api.CreateTemplateWithResponse(ctx, nil, apiclient.TemplateInput{Name: "Padrão", InstallmentCount: 3,
		BillingType: apiclient.BillingTypePIX, SplitRules: &[]apiclient.SplitRuleInput{
			{Kind: apiclient.SplitRuleInputKindFee},
			{Kind: apiclient.SplitRuleInputKindPercentage, PayeeId: &agentID, Percent: &tenPercent},
			{Kind: apiclient.SplitRuleInputKindFixed, PayeeId: &franchiseID, Amount: ptr(money(t, "5.00"))},
			{Kind: apiclient.SplitRuleInputKindRemainder, PayeeId: &franchiseID},
		}})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, template.StatusCode(), string(template.Body))
	require.Len(t, template.JSON201.SplitRules, 4)
	assert.True(t, template.JSON201.SplitRules[1].ViaGateway, "the agent has a wallet: the rule goes in the charge's split")

	// 4. A client and a contract generated from the template.
	client, err := api.CreateClientWithResponse(ctx, nil, apiclient.ClientInput{Name: "Cliente", CpfCnpj: "24971563792"})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, client.StatusCode(), string(client.Body))
	firstDue := openapi_types.Date{Time: time.Now().AddDate(0, 0, 10)}
	created, err := api.CreateContractWithResponse(ctx, nil, apiclient.ContractInput{ClientId: client.JSON201.Id,
		TemplateId: &template.JSON201.Id, TotalAmount: ptr(money(t, "300.00")), FirstDueDate: &firstDue})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, created.StatusCode(), string(created.Body))
	contractID := created.JSON201.Id
	assert.Equal(t, apiclient.ContractStatusDraft, created.JSON201.Status)
	require.Len(t, created.JSON201.Installments, 3)
	assert.Equal(t, "100.00", created.JSON201.Installments[0].Value)

	contract := func() apiclient.ContractDetail {
		t.Helper()
		got, err := api.GetContractWithResponse(ctx, contractID, nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, got.StatusCode(), string(got.Body))
		return *got.JSON200
	}

	// 5. Activate: the workflow issues one charge per installment at Asaas.
	activated, err := api.ActivateContractWithResponse(ctx, contractID, nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, activated.StatusCode(), string(activated.Body))
	assert.Equal(t, "contract/"+contractID.String(), activated.JSON200.WorkflowId)
	var view apiclient.ContractDetail
	s.eventually("three charges are issued", func() bool {
		view = contract()
		for _, in := range view.Installments {
			if in.Status != apiclient.InstallmentStatusOpen || in.Charge == nil {
				return false
			}
		}
		return true
	})
	assert.Equal(t, apiclient.ContractStatusActive, view.Status)

	// 6. The customer pays installment 1 by PIX at the simulator; the webhook applies
	// the payment and its splits.
	pay, err := http.Post(s.simURL+"/_sim/payments/"+view.Installments[0].Charge.AsaasPaymentId+"/pay", "application/json", strings.NewReader(`{"billingType":"PIX"}`))
	require.NoError(t, err)
	require.NoError(t, pay.Body.Close())
	require.Equal(t, http.StatusOK, pay.StatusCode)
	s.eventually("installment 1 is paid", func() bool {
		view = contract()
		return view.Installments[0].Status == apiclient.InstallmentStatusPaid
	})
	first := view.Installments[0]
	require.NotNil(t, first.Payment)
	assert.Equal(t, apiclient.PaymentOriginGateway, first.Payment.Origin)
	assert.Equal(t, "100.00", first.Payment.Amount)
	entries := map[apiclient.SplitEntryKind]apiclient.SplitEntry{}
	for _, e := range first.SplitEntries {
		entries[e.Kind] = e
	}
	require.Len(t, entries, 4, "fee, percentage, fixed and remainder")
	assert.Equal(t, first.Payment.FeeAmount, entries[apiclient.SplitEntryKindFee].Amount)
	assert.Equal(t, apiclient.EntryStatusSentToGateway, entries[apiclient.SplitEntryKindPercentage].Status)
	assert.Equal(t, apiclient.EntryStatusPending, entries[apiclient.SplitEntryKindFixed].Status)
	assert.Equal(t, "5.00", entries[apiclient.SplitEntryKindFixed].Amount)

	// Manual payment of installment 2 with an Idempotency-Key; the retry replays it.
	markPaid := func() *apiclient.MarkInstallmentPaidResponse {
		t.Helper()
		r, err := api.MarkInstallmentPaidWithResponse(ctx, contractID, 2, &apiclient.MarkInstallmentPaidParams{IdempotencyKey: ptr(contractID.String() + "-2")},
			apiclient.MarkPaidInput{Amount: money(t, "100.00"), PaidOn: openapi_types.Date{Time: time.Now()}})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, r.StatusCode(), string(r.Body))
		return r
	}
	paid, replayed := markPaid(), markPaid()
	require.NotNil(t, paid.JSON200.Installment)
	assert.Equal(t, 2, *paid.JSON200.Installment)
	assert.Equal(t, apiclient.InstallmentStatusPaid, *paid.JSON200.InstallmentStatus)
	assert.Nil(t, paid.Headers200.IdempotentReplayed, "a first answer")
	require.NotNil(t, replayed.Headers200.IdempotentReplayed)
	assert.Equal(t, "true", *replayed.Headers200.IdempotentReplayed)
	assert.Equal(t, paid.Body, replayed.Body)
	view = contract()
	assert.Equal(t, apiclient.PaymentOriginManual, view.Installments[1].Payment.Origin)
	assert.Equal(t, 2, view.Totals.PaidInstallments)

	// Payout: the franchise's pending entries of both payments are paid by PIX.
	var franchisePending []openapi_types.UUID
	for _, in := range view.Installments[:2] {
		for _, e := range in.SplitEntries {
			if e.PayeeId != nil && *e.PayeeId == franchiseID && e.Status == apiclient.EntryStatusPending {
				franchisePending = append(franchisePending, e.Id)
			}
		}
	}
	require.Len(t, franchisePending, 4, "fixed and remainder of two payments")
	payout, err := api.CreatePayoutWithResponse(ctx, &apiclient.CreatePayoutParams{IdempotencyKey: ptr("payout-" + contractID.String())},
		apiclient.PayoutInput{EntryIds: franchisePending, PaidOn: openapi_types.Date{Time: time.Now()}, Method: apiclient.PayoutInputMethodPIX})
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, payout.StatusCode(), string(payout.Body))
	assert.Len(t, payout.JSON201.Entries, 4)

	// The PIX of installment 1 is refunded at the simulator: its entries are reversed,
	// and what the franchise was already paid is owed back (negative pending entries).
	refund, err := http.Post(s.simURL+"/_sim/payments/"+first.Charge.AsaasPaymentId+"/refund", "application/json", nil)
	require.NoError(t, err)
	require.NoError(t, refund.Body.Close())
	require.Equal(t, http.StatusOK, refund.StatusCode)
	s.eventually("installment 1 is refunded", func() bool {
		view = contract()
		return view.Installments[0].Status == apiclient.InstallmentStatusRefunded
	})
	assert.Equal(t, "100.00", view.Totals.Refunded)
	owed := map[string]bool{}
	for _, e := range view.Installments[0].SplitEntries {
		if e.ReversesEntryId != nil && e.PayeeId != nil && *e.PayeeId == franchiseID {
			assert.Equal(t, apiclient.EntryStatusPending, e.Status, "paid out already: owed back")
			owed[e.Amount] = true
		}
	}
	assert.Equal(t, map[string]bool{"-5.00": true, "-" + entries[apiclient.SplitEntryKindRemainder].Amount: true}, owed)

	// Cancellation, with an Idempotency-Key: installment 3's charge is deleted at Asaas.
	cancelled, err := api.CancelContractWithResponse(ctx, contractID, &apiclient.CancelContractParams{IdempotencyKey: ptr(contractID.String() + "-cancel")},
		apiclient.CancelInput{Reason: "cliente desistiu"})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, cancelled.StatusCode(), string(cancelled.Body))
	assert.Equal(t, apiclient.ContractStatusCancelled, cancelled.JSON200.Status)
	view = contract()
	assert.Equal(t, apiclient.InstallmentStatusCancelled, view.Installments[2].Status)
	require.NotNil(t, view.CancelReason)
	assert.Equal(t, "cliente desistiu", *view.CancelReason)

	// 7. The payout report: the franchise was paid both payments' shares and owes
	// back installment 1's (a negative pending total).
	report, err := api.GetPayoutReportWithResponse(ctx, &apiclient.GetPayoutReportParams{PayeeId: &franchiseID})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, report.StatusCode(), string(report.Body))
	require.Len(t, report.JSON200.Payees, 1)
	owedBack := "-" + addMoney("5.00", entries[apiclient.SplitEntryKindRemainder].Amount)
	totals := report.JSON200.Payees[0].Totals
	assert.Equal(t, owedBack, totals.Pending)
	assert.Equal(t, payout.JSON201.Amount, totals.Paid)
	assert.Equal(t, report.JSON200.Totals, totals, "one payee in the report")
	assert.Len(t, report.JSON200.Payees[0].Entries, 6, "four paid, two owed back")

	csvReport, err := api.GetPayoutReportWithResponse(ctx, &apiclient.GetPayoutReportParams{PayeeId: &franchiseID, Format: ptr(apiclient.GetPayoutReportParamsFormatCsv)})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, csvReport.StatusCode(), string(csvReport.Body))
	assert.Equal(t, "text/csv; charset=utf-8", csvReport.HTTPResponse.Header.Get("Content-Type"))
	assert.Contains(t, *csvReport.Headers200.ContentDisposition, "payout-report.csv")
	rows, err := csv.NewReader(strings.NewReader(string(csvReport.Body))).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	var entryRows int
	for _, row := range rows[1:] {
		if row[0] == "entry" {
			entryRows++
		}
	}
	assert.Equal(t, 6, entryRows)
}

// addMoney adds two amounts of the API ("5.00" + "83.21").
func addMoney(a, b string) string {
	return decimal.RequireFromString(a).Add(decimal.RequireFromString(b)).StringFixed(2)
}
