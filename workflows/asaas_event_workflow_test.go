package workflows

import (
	"testing"

	"billing/activities"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
)

func eventEnv(fake *fakeActivities) *testsuite.TestWorkflowEnvironment {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(AsaasEventWorkflow)
	env.RegisterActivity(fake)
	return env
}

func paymentWebhook() AsaasEventInput {
	return AsaasEventInput{AccountID: "acct-1", EventKey: "evt_1", EventID: "evt_1", Event: "PAYMENT_RECEIVED",
		Payment: &activities.PaymentData{ID: "pay_1", Status: "RECEIVED", BillingType: "PIX",
			Value: decimal.RequireFromString("100"), NetValue: decimal.RequireFromString("98.01"),
			ExternalReference: "billing:c1:2", ClientPaymentDate: "2030-01-05"}}
}

func TestEventForOurChargeSignalsItsContract(t *testing.T) {
	fake := newFake()
	fake.route = activities.EventRoute{Route: activities.RouteContract, ContractID: "c1", InstallmentNumber: 2}
	env := eventEnv(fake)
	var sent PaymentEvent
	env.OnSignalExternalWorkflow(mock.Anything, "contract/c1", "", PaymentEventSignal, mock.Anything).
		Run(func(args mock.Arguments) { sent = args.Get(4).(PaymentEvent) }).Return(nil).Once()
	env.ExecuteWorkflow(AsaasEventWorkflow, paymentWebhook())

	require.NoError(t, env.GetWorkflowError())
	env.AssertExpectations(t)
	assert.Equal(t, "evt_1", sent.EventKey)
	assert.Equal(t, 2, sent.InstallmentNumber)
	assert.Equal(t, "pay_1", sent.Payment.ID)
	assert.Equal(t, "98.01", sent.Payment.NetValue.String())
	assert.Empty(t, fake.callsWith("RecordEventOutcome"), "the contract records the outcome")
}

func TestEventForAClosedContractIsRecordedAsIgnored(t *testing.T) {
	fake := newFake()
	fake.route = activities.EventRoute{Route: activities.RouteContract, ContractID: "c1", InstallmentNumber: 2}
	env := eventEnv(fake)
	env.OnSignalExternalWorkflow(mock.Anything, "contract/c1", "", PaymentEventSignal, mock.Anything).
		Return(&temporal.UnknownExternalWorkflowExecutionError{})
	env.ExecuteWorkflow(AsaasEventWorkflow, paymentWebhook())

	require.NoError(t, env.GetWorkflowError())
	var route activities.EventRoute
	require.NoError(t, env.GetWorkflowResult(&route))
	assert.Equal(t, activities.RouteDone, route.Route)
	require.Len(t, fake.outcomes, 1)
	assert.Equal(t, activities.EventIgnored, fake.outcomes[0].Status)
	assert.Contains(t, fake.outcomes[0].Reason, "closed")
}

func TestEventHandledByRoutingAloneSendsNoSignal(t *testing.T) {
	fake := newFake()
	fake.route = activities.EventRoute{Route: activities.RouteDone, Reason: "bill tracked"}
	env := eventEnv(fake)
	env.ExecuteWorkflow(AsaasEventWorkflow, AsaasEventInput{AccountID: "acct-1", EventKey: "evt_b", Event: "BILL_PAID",
		Bill: &activities.BillData{ID: "bill-1", Status: "PAID"}})
	require.NoError(t, env.GetWorkflowError())
	assert.Equal(t, []string{"RouteWebhookEvent:evt_b"}, fake.callsWith("RouteWebhookEvent"))
}

func TestAsaasEventWorkflowID(t *testing.T) {
	assert.Equal(t, "asaas-event/a/evt_1", AsaasEventWorkflowID("a", "evt_1"))
}
