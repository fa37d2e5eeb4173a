package activities_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"billing/activities"
	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite activities/testdata/*.golden from what the code writes now")

// Recording a payment writes the rows the golden file holds: every column of the
// payment, its split entries, its audit lines (in order), the installment, the
// charge and the webhook event, ids and times replaced by names. The golden file
// was written by the per-row statements (one INSERT per split entry and per
// audit line) that the batched statements replaced; a retry writes nothing more.
func TestApplyPaymentWritesTheGoldenRows(t *testing.T) {
	f := newFixture(t, "100.00", "100.00")
	f.activate()
	ctx := context.Background()
	q := dbgen.New(f.pool)
	insts, err := q.ListInstallments(ctx, dbgen.ListInstallmentsParams{AccountID: f.account, ContractID: f.contract})
	require.NoError(t, err)
	_, err = q.InsertCharge(ctx, dbgen.InsertChargeParams{AccountID: f.account, ContractID: f.contract, InstallmentID: insts[0].ID,
		AsaasPaymentID: "pay_evt_1", ExternalReference: "billing:" + f.contract.String() + ":1", BillingType: "PIX", Status: "PENDING",
		Value: dec("100.00"), DueDate: insts[0].DueDate})
	require.NoError(t, err)

	// 1: a gateway payment of the installment's charge (4 entries, 2 audit lines).
	f.storeEvent("evt_1", "PAYMENT_RECEIVED")
	gw := gatewayPayment(f, 1, "100.00", "98.01", "evt_1")
	require.NoError(t, f.run(f.acts.ApplyPayment, gw, nil))
	// 2: a manual payment short of the value: amount difference and shortfall
	// audited too (4 audit lines, by the user).
	manual := activities.ApplyPaymentInput{ContractRef: f.ref(), Number: 2, Origin: activities.OriginManual, Amount: dec("3.00"),
		Net: dec("3.00"), Expected: dec("100.00"), PaidOn: "2030-02-03", Status: activities.PaymentReceived, RecordedBy: f.user.String()}
	require.NoError(t, f.run(f.acts.ApplyPayment, manual, nil))
	first := f.rowsOf()

	// Retries (the worker died after the commit) write nothing.
	require.NoError(t, f.run(f.acts.ApplyPayment, gw, nil))
	require.NoError(t, f.run(f.acts.ApplyPayment, manual, nil))
	assert.Equal(t, first, f.rowsOf(), "a retry writes nothing")

	path := filepath.Join("testdata", "apply_payment_rows.golden")
	if *updateGolden {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(first), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), first)
}

// rowsOf prints every row a payment touches, ids and times named.
func (f *fixture) rowsOf() string {
	f.t.Helper()
	ctx := context.Background()
	names := map[string]string{f.account.String(): "account", f.contract.String(): "contract", f.user.String(): "user",
		f.agent.String(): "agent", f.partner.String(): "partner", f.house.String(): "house"}
	var b strings.Builder
	query := func(title, sql string, named func(vals []any) []string) {
		rows, err := f.pool.Query(ctx, sql, f.contract)
		require.NoError(f.t, err)
		defer rows.Close()
		fmt.Fprintf(&b, "%s\n", title)
		for rows.Next() {
			vals, err := rows.Values()
			require.NoError(f.t, err)
			fmt.Fprintf(&b, "  %s\n", strings.Join(named(vals), " | "))
		}
		require.NoError(f.t, rows.Err())
	}
	name := func(v any) string {
		switch x := v.(type) {
		case nil:
			return "NULL"
		case [16]byte:
			id := uuid.UUID(x).String()
			if n, ok := names[id]; ok {
				return n
			}
			return "?" + id
		case time.Time:
			return x.Format(time.DateOnly)
		default:
			if d, ok := v.(interface{ String() string }); ok {
				return d.String()
			}
			return fmt.Sprint(v)
		}
	}
	all := func(vals []any) []string {
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = name(v)
		}
		return out
	}
	// Ids written by the statements get names in the order they are read.
	label := func(prefix string) func(vals []any) []string {
		n := 0
		return func(vals []any) []string {
			n++
			names[uuid.UUID(vals[0].([16]byte)).String()] = fmt.Sprintf("%s%d", prefix, n)
			return all(vals)
		}
	}
	query("installments", `SELECT id, number, value, status, paid_at IS NOT NULL, paid_at = updated_at FROM installments
		WHERE contract_id = $1 ORDER BY number`, label("installment"))
	query("charges", `SELECT id, installment_id, asaas_payment_id, status, value, net_value, updated_at > created_at FROM charges
		WHERE contract_id = $1 ORDER BY asaas_payment_id`, label("charge"))
	query("payments", `SELECT id, account_id, contract_id, installment_id, charge_id, asaas_payment_id, origin, recorded_by,
		amount, net_amount, fee_amount, paid_on, settled_on, status, shortfall, refunded_amount, hold, created_at = updated_at
		FROM payments WHERE contract_id = $1 ORDER BY paid_on`, label("payment"))
	query("split entries", `SELECT e.id, e.account_id, e.payment_id, e.contract_id, e.payee_id, e.rule_position, e.kind, e.amount,
		e.status, e.reverses_entry_id, e.payout_id, e.occurred_on, e.held_from, e.refunded_to,
		e.created_at = p.created_at, e.updated_at = p.created_at
		FROM split_entries e JOIN payments p ON p.id = e.payment_id WHERE e.contract_id = $1 ORDER BY p.paid_on, e.rule_position`, label("entry"))
	query("audit lines", `SELECT account_id, actor_type, actor_id, action, entity_type, entity_id, contract_id, data::text,
		created_at > lag(created_at) OVER (ORDER BY created_at, id)
		FROM audit_events WHERE contract_id = $1 AND action NOT LIKE 'contract.%' ORDER BY created_at, id`, func(vals []any) []string {
		out := all(vals)
		var data any
		require.NoError(f.t, json.Unmarshal([]byte(vals[7].(string)), &data))
		out[7] = nameIDs(data, names)
		return out
	})
	query("webhook events", `SELECT event_key, status, reason, processed_at IS NOT NULL, relay_at FROM webhook_events
		WHERE account_id = (SELECT account_id FROM contracts WHERE id = $1) ORDER BY event_key`, all)
	return b.String()
}

// nameIDs prints JSON with the ids it holds replaced by their names.
func nameIDs(v any, names map[string]string) string {
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			if n, ok := names[x]; ok {
				return n
			}
		}
		return v
	}
	b, _ := json.Marshal(walk(v))
	return string(b)
}
