package activities_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"billing/activities"
	"billing/db/dbgen"
	"billing/tenant"
	"billing/testenv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
)

// fixture is one account with a draft contract: its client, two payees (one with
// an Asaas wallet) and split rules of every kind.
type fixture struct {
	t        testing.TB
	pool     *pgxpool.Pool
	acts     *activities.Activities
	env      *testsuite.TestActivityEnvironment
	account  uuid.UUID
	user     uuid.UUID
	contract uuid.UUID
	agent    uuid.UUID // percentage 10%, via gateway (has a wallet)
	partner  uuid.UUID // fixed 5.00, manual payout
	house    uuid.UUID // remainder
}

func (f *fixture) ref() activities.ContractRef {
	return activities.ContractRef{AccountID: f.account.String(), ContractID: f.contract.String()}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func newFixture(t testing.TB, values ...string) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := testenv.Postgres(t)
	p, err := tenant.CreateAccount(ctx, pool, "Acme", "ops@acme.test", "Ops", true)
	require.NoError(t, err)
	q := dbgen.New(pool)
	f := &fixture{t: t, pool: pool, account: p.Account.ID, user: p.User.ID}
	client, err := q.CreateClient(ctx, dbgen.CreateClientParams{AccountID: f.account, Name: "Cliente", CpfCnpj: "24971563792"})
	require.NoError(t, err)
	payee := func(name string, wallet *string) uuid.UUID {
		row, err := q.CreatePayee(ctx, dbgen.CreatePayeeParams{AccountID: f.account, Name: name, PersonType: "person", CpfCnpj: "24971563792", AsaasWalletID: wallet})
		require.NoError(t, err)
		return row.ID
	}
	wallet := uuid.NewString()
	f.agent = payee("Agent", &wallet)
	f.partner = payee("Partner", nil)
	f.house = payee("House", nil)
	total := decimal.Zero
	for _, v := range values {
		total = total.Add(dec(v))
	}
	c, err := q.CreateContract(ctx, dbgen.CreateContractParams{AccountID: f.account, ClientID: client.ID, BillingType: "PIX",
		TotalAmount: total, InstallmentCount: int32(len(values)), IntervalMonths: 1,
		FirstDueDate: time.Date(2030, 1, 10, 0, 0, 0, 0, time.UTC), CreatedBy: f.user})
	require.NoError(t, err)
	f.contract = c.ID
	for i, v := range values {
		require.NoError(t, q.InsertInstallment(ctx, dbgen.InsertInstallmentParams{AccountID: f.account, ContractID: c.ID,
			Number: int32(i + 1), Value: dec(v), DueDate: time.Date(2030, time.Month(i+1), 10, 0, 0, 0, 0, time.UTC)}))
	}
	rules := []dbgen.InsertContractSplitRuleParams{
		{Kind: "fee"},
		{Kind: "percentage", PayeeID: &f.agent, Percent: decimal.NullDecimal{Decimal: dec("10"), Valid: true}, ViaGateway: true},
		{Kind: "fixed", PayeeID: &f.partner, Amount: decimal.NullDecimal{Decimal: dec("5.00"), Valid: true}},
		{Kind: "remainder", PayeeID: &f.house},
	}
	for i, r := range rules {
		r.AccountID, r.ContractID, r.Position = f.account, c.ID, int32(i+1)
		require.NoError(t, q.InsertContractSplitRule(ctx, r))
	}
	f.acts = activities.New(activities.Deps{Pool: pool})
	var suite testsuite.WorkflowTestSuite
	f.env = suite.NewTestActivityEnvironment()
	f.env.RegisterActivity(f.acts)
	return f
}

// run executes one activity in an activity context, as the worker would.
func (f *fixture) run(fn any, in any, out any) error {
	f.t.Helper()
	val, err := f.env.ExecuteActivity(fn, in)
	if err != nil || out == nil {
		return err
	}
	return val.Get(out)
}

func (f *fixture) activate() activities.ContractPlan {
	var plan activities.ContractPlan
	require.NoError(f.t, f.run(f.acts.ActivateContract, activities.ActivateContractInput{ContractRef: f.ref(), ActivatedBy: f.user.String()}, &plan))
	return plan
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func (f *fixture) sum(query string, args ...any) decimal.Decimal {
	f.t.Helper()
	var d decimal.NullDecimal
	require.NoError(f.t, f.pool.QueryRow(context.Background(), query, args...).Scan(&d))
	return d.Decimal
}

// storeEvent stores a webhook event row as the handler does (a redelivery keeps the first).
func (f *fixture) storeEvent(key, event string) {
	f.t.Helper()
	_, err := dbgen.New(f.pool).InsertWebhookEvent(context.Background(), dbgen.InsertWebhookEventParams{
		AccountID: f.account, EventKey: key, EventType: event, Status: activities.EventReceived, Raw: []byte(fmt.Sprintf(`{"event":%q}`, event))})
	if !errors.Is(err, pgx.ErrNoRows) {
		require.NoError(f.t, err)
	}
}

func (f *fixture) eventStatus(key string) (string, string) {
	f.t.Helper()
	var status string
	var reason *string
	require.NoError(f.t, f.pool.QueryRow(context.Background(), "SELECT status, reason FROM webhook_events WHERE account_id=$1 AND event_key=$2", f.account, key).Scan(&status, &reason))
	if reason == nil {
		return status, ""
	}
	return status, *reason
}
