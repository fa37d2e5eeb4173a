package activities

import (
	"testing"

	"billing/asaas"

	"github.com/stretchr/testify/assert"
)

func TestOurWebhooks(t *testing.T) {
	ours := asaas.Webhook{ID: "ours", URL: "https://billing.example.com/webhooks/asaas"}
	oursSlash := asaas.Webhook{ID: "ours-slash", URL: "https://billing.example.com/prefix/webhooks/asaas/"}
	erp := asaas.Webhook{ID: "erp", URL: "https://erp.example.com/asaas/notify"}
	proxied := asaas.Webhook{ID: "proxied", URL: "https://hooks.example.com/in/42"}
	cases := []struct {
		name  string
		hooks []asaas.Webhook
		want  []string
	}{
		{"ours among others", []asaas.Webhook{erp, ours}, []string{"ours"}},
		{"ours under a prefix, trailing slash", []asaas.Webhook{oursSlash, erp}, []string{"ours-slash"}},
		{"none is ours by its URL: all of them", []asaas.Webhook{erp, proxied}, []string{"erp", "proxied"}},
		{"no webhook", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, h := range ourWebhooks(tc.hooks) {
				got = append(got, h.ID)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestQueueSummary(t *testing.T) {
	cases := []struct {
		name                 string
		hooks                []WebhookHealth
		enabled, interrupted bool
		penalized            int
	}{
		{"none configured", nil, false, false, 0},
		{"one healthy", []WebhookHealth{{Enabled: true}}, true, false, 0},
		{"one interrupted", []WebhookHealth{{Enabled: true}, {Enabled: true, Interrupted: true, Penalized: 15}}, true, true, 15},
		{"disabled, failing", []WebhookHealth{{Penalized: 3}}, false, false, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			enabled, interrupted, penalized := queueSummary(tc.hooks)
			assert.Equal(t, []any{tc.enabled, tc.interrupted, tc.penalized}, []any{enabled, interrupted, penalized})
		})
	}
}

func TestUnaskedContractKinds(t *testing.T) {
	assert.Equal(t, "no_workflow", MismatchKind(NoRunningWorkflow))
	assert.Equal(t, "unanswered", MismatchKind("the contract did not answer after 5 attempts"))
}
