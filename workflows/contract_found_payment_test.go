package workflows

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"billing/activities"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// A gateway payment the contract finds at Asaas while doing something else —
// mark-paid refused because the customer paid first, a change whose charge Asaas
// says is paid, a change or re-issue whose deletion of the charge finds it paid,
// a cancellation that finds a charge paid — has its split read back as a webhook
// payment has (recordFoundPayment): SplitReadAfter later (at the next loop turn
// on charge-life version 1), by CheckSplitOutcome for that payment. A run before
// changeFoundSplitRead records it and reads nothing back, as it did.
func TestFoundPaymentSplitIsReadBack(t *testing.T) {
	paidAt := func(n int) activities.GatewayOutcome {
		return activities.GatewayOutcome{Outcome: activities.OutcomePaidAtGateway, Payment: &activities.GatewayPaymentInfo{
			ID: fmt.Sprintf("pay_%d", n), Status: "RECEIVED", Value: dec("100.00"), NetValue: dec("98.01"), PaymentDate: "2030-01-02"}}
	}
	const day = 24 * time.Hour
	paths := []struct {
		name    string
		n       int           // the installment found paid
		at      time.Duration // when the update runs
		setup   func(f *fakeActivities)
		request func(env *testsuite.TestWorkflowEnvironment, at time.Duration, res *updateResult)
		refused bool // answered AlreadyPaid (409); the cancellation goes on
	}{
		{"mark-paid: Asaas refuses receiveInCash, the customer paid first", 1, time.Hour,
			func(f *fakeActivities) { f.cash = paidAt(1) },
			func(env *testsuite.TestWorkflowEnvironment, at time.Duration, res *updateResult) {
				update(env, at, MarkPaidUpdate, MarkPaidRequest{InstallmentNumber: 1, Amount: dec("100.00"), PaidOn: "2030-01-02", RecordedBy: "user-1"}, res)
			}, true},
		{"change: Asaas says the charge is paid", 2, time.Hour,
			func(f *fakeActivities) { f.updates = map[int]activities.GatewayOutcome{2: paidAt(2)} },
			func(env *testsuite.TestWorkflowEnvironment, at time.Duration, res *updateResult) {
				update(env, at, ChangeInstallmentUpdate, ChangeInstallmentRequest{InstallmentNumber: 2, Value: dec("90.00"), RequestedBy: "user-1"}, res)
			}, true},
		{"change refused: deleting the charge to issue it again finds it paid", 2, time.Hour,
			func(f *fakeActivities) {
				f.updates = map[int]activities.GatewayOutcome{2: {Outcome: activities.OutcomeRefused}}
				f.deletes[2] = paidAt(2)
			},
			func(env *testsuite.TestWorkflowEnvironment, at time.Duration, res *updateResult) {
				update(env, at, ChangeInstallmentUpdate, ChangeInstallmentRequest{InstallmentNumber: 2, DueDate: "2030-03-01", RequestedBy: "user-1"}, res)
			}, true},
		{"re-issue: deleting the expired charge finds it paid", 1, 11 * day, // 2030-01-12: #1 overdue
			func(f *fakeActivities) { f.deletes[1] = paidAt(1) },
			func(env *testsuite.TestWorkflowEnvironment, at time.Duration, res *updateResult) {
				update(env, at, ReissueChargeUpdate, ReissueChargeRequest{InstallmentNumber: 1, DueDate: "2030-01-20", RequestedBy: "user-1"}, res)
			}, true},
		{"cancel: deleting a charge finds it paid", 2, time.Hour,
			func(f *fakeActivities) { f.deletes[2] = paidAt(2) },
			func(env *testsuite.TestWorkflowEnvironment, at time.Duration, res *updateResult) {
				update(env, at, CancelUpdate, CancelRequest{ReasonID: "note-1", RequestedBy: "user-1"}, res)
			}, false},
	}
	versions := []struct {
		name  string
		life  workflow.Version
		found workflow.Version
		after time.Duration // the read-back is due this long after the payment is found; < 0: none
	}{
		{"found-split-read", splitReadLater, foundSplitRead, DefaultSplitReadAfter},
		{"found-split-read on charge-life version 1", chargeLife, foundSplitRead, 0},
		{"before found-split-read", splitReadLater, workflow.DefaultVersion, -1},
	}
	for _, path := range paths {
		for _, version := range versions {
			t.Run(path.name+"/"+version.name, func(t *testing.T) {
				fake := newFake("100.00", "100.00", "100.00")
				fake.gateway = 1 // each received gateway payment has an entry Asaas pays through the split
				path.setup(fake)
				env := newContractEnv(t, fake)
				env.OnGetVersion(changeChargeLife, workflow.DefaultVersion, splitReadLater).Return(version.life)
				env.OnGetVersion(changeFoundSplitRead, workflow.DefaultVersion, foundSplitRead).Return(version.found)
				var res updateResult
				path.request(env, path.at, &res)
				var found, due ContractView
				at(env, path.at+time.Minute, func() { found = query(t, env) })
				at(env, path.at+DefaultSplitReadAfter+time.Minute, func() { due = query(t, env) })
				if path.refused { // the others are paid by webhook afterwards: the contract completes
					for n := 1; n <= 3; n++ {
						if n != path.n {
							signal(env, path.at+DefaultSplitReadAfter+2*time.Hour, payment(evReceived, n, "RECEIVED", "100.00", "98.01"))
						}
					}
				}
				env.ExecuteWorkflow(ContractWorkflow, input())

				require.True(t, env.IsWorkflowCompleted())
				require.NoError(t, env.GetWorkflowError())
				require.NoError(t, res.rejected)
				if path.refused {
					var appErr *temporal.ApplicationError
					require.True(t, errors.As(res.err, &appErr), "%v", res.err)
					assert.Equal(t, ErrTypeAlreadyPaid, appErr.Type())
				} else {
					require.NoError(t, res.err)
					assert.Contains(t, res.value.(CancelResult).Kept, path.n)
				}
				pay := fmt.Sprintf("pay_%d", path.n)
				assert.Contains(t, fake.callsWith("ApplyPayment"), fmt.Sprintf("ApplyPayment:%d:gateway:100:received", path.n), "the payment Asaas holds is recorded")
				inst := found.Installments[path.n-1]
				require.Equal(t, instPaid, inst.Status)
				require.NotNil(t, inst.Payment)
				assert.Equal(t, pay, inst.Payment.AsaasPaymentID)
				mine := fmt.Sprintf("CheckSplitOutcome:%d:%s", path.n, pay)
				checks := 0
				for _, c := range fake.callsWith("CheckSplitOutcome") {
					if c == mine {
						checks++
					}
				}
				switch {
				case version.after < 0:
					assert.True(t, inst.Payment.SplitCheckAt.IsZero(), "no read-back scheduled")
					assert.Zero(t, checks, "the split of a payment found before the change is never read back")
					assert.Zero(t, due.Installments[path.n-1].Payment.SplitChecks)
				case version.after > 0:
					assert.Zero(t, inst.Payment.SplitChecks, "not read back when found")
					assert.True(t, start.Add(path.at+version.after).Equal(inst.Payment.SplitCheckAt),
						"due SplitReadAfter after it was found: %s", inst.Payment.SplitCheckAt)
					assert.Equal(t, 1, due.Installments[path.n-1].Payment.SplitChecks, "read back when due, not at the next event")
					assert.Equal(t, 1, checks, "CheckSplitOutcome read this payment's split once")
				default:
					assert.Equal(t, 1, inst.Payment.SplitChecks, "read back at the next loop turn")
					assert.Equal(t, 1, checks)
				}
			})
		}
	}
}
