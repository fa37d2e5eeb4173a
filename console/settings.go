package console

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Settings: the Asaas integration (release note step 2 and 3).

type settingsView struct {
	Configured              bool       `json:"configured"`
	APIKey                  *string    `json:"api_key"`
	Environment             *string    `json:"environment"`
	WebhookSecretConfigured bool       `json:"webhook_secret_configured"`
	UpdatedAt               *time.Time `json:"updated_at"`
	// WebhookQueue is the Asaas webhook queue as the queue watch last read it
	// (nil until read).
	WebhookQueue *webhookQueue `json:"webhook_queue"`
}

type webhookQueue struct {
	Enabled                bool       `json:"enabled"`
	Interrupted            bool       `json:"interrupted"`
	PenalizedRequestsCount int        `json:"penalized_requests_count"`
	CheckedAt              time.Time  `json:"checked_at"`
	ReactivatedAt          *time.Time `json:"reactivated_at"`
	LastSweepAt            *time.Time `json:"last_sweep_at"`
}

type webhookEvent struct {
	ID          string          `json:"id"`
	EventKey    string          `json:"event_key"`
	EventType   string          `json:"event_type"`
	PaymentID   *string         `json:"payment_id"`
	Status      string          `json:"status"`
	Reason      *string         `json:"reason"`
	ReceivedAt  time.Time       `json:"received_at"`
	ProcessedAt *time.Time      `json:"processed_at"`
	Raw         json.RawMessage `json:"raw"`
}

type settingsData struct {
	Settings   settingsView
	WebhookURL string
	// NewWebhookToken is the token made from a secret just saved: shown this once.
	NewWebhookToken string
	Environment     string // the form's value
	LastEvent       *webhookEvent
	Failing         bool // some delivery failed or was rejected
	Test            *connectionTest
}

type connectionTest struct {
	OK          bool    `json:"ok"`
	Environment string  `json:"environment"`
	Error       *string `json:"error"`
}

// webhookURL is the URL to paste into the Asaas panel.
func (x *exchange) webhookURL() string {
	base := strings.TrimRight(x.c.opts.PublicURL, "/")
	if base == "" {
		scheme := "http"
		if secureRequest(x.r) {
			scheme = "https"
		}
		base = scheme + "://" + x.r.Host
	}
	return base + "/webhooks/asaas"
}

func (x *exchange) settingsData() (*settingsData, error) {
	d := &settingsData{WebhookURL: x.webhookURL(), Environment: "sandbox"}
	if err := x.get("/v1/settings/asaas", &d.Settings); err != nil {
		return nil, err
	}
	if d.Settings.Environment != nil {
		d.Environment = *d.Settings.Environment
	}
	var last struct{ Data []webhookEvent }
	if err := x.get("/v1/webhook-events?limit=1", &last); err != nil {
		return nil, err
	}
	if len(last.Data) > 0 {
		d.LastEvent = &last.Data[0]
	}
	for _, status := range []string{"failed", "rejected"} {
		var bad struct{ Data []webhookEvent }
		if err := x.get("/v1/webhook-events?limit=1&status="+status, &bad); err != nil {
			if p, ok := err.(*problem); ok && p.Status == http.StatusUnprocessableEntity {
				continue // a status this API version does not know
			}
			return nil, err
		}
		d.Failing = d.Failing || len(bad.Data) > 0
	}
	return d, nil
}

func settingsPage(x *exchange) error {
	d, err := x.settingsData()
	if err != nil {
		return err
	}
	x.render(http.StatusOK, "settings", &view{Title: "Settings", Nav: "settings", Data: d})
	return nil
}

// saveSettings sends what was typed: an empty key or secret keeps the stored one.
func saveSettings(x *exchange) error {
	body := map[string]any{"environment": x.r.PostFormValue("environment")}
	if v := strings.TrimSpace(x.r.PostFormValue("api_key")); v != "" {
		body["api_key"] = v
	}
	if v := x.r.PostFormValue("webhook_secret"); v != "" {
		body["webhook_secret"] = v
	}
	a, err := x.send(http.MethodPut, "/v1/settings/asaas", body)
	if err != nil {
		return err
	}
	if a.ok() {
		var saved struct {
			WebhookToken *string `json:"webhook_token"`
		}
		if err := a.decode(&saved); err != nil {
			return err
		}
		if saved.WebhookToken == nil {
			x.redirect("/console/settings", "settings-saved")
			return nil
		}
		d, err := x.settingsData()
		if err != nil {
			return err
		}
		d.NewWebhookToken = *saved.WebhookToken
		x.render(http.StatusOK, "settings", &view{Title: "Settings", Nav: "settings", Data: d, Flash: flashMessages["settings-saved"]})
		return nil
	}
	if a.Problem == nil || a.Status == http.StatusNotFound || a.Status == http.StatusUnauthorized {
		return a.failure()
	}
	d, err := x.settingsData()
	if err != nil {
		return err
	}
	d.Environment = x.r.PostFormValue("environment")
	x.render(a.Status, "settings", &view{Title: "Settings", Nav: "settings", Data: d, Problem: a.Problem})
	return nil
}

func testSettings(x *exchange) error {
	a, err := x.send(http.MethodPost, "/v1/settings/asaas/test", nil)
	if err != nil {
		return err
	}
	d, err := x.settingsData()
	if err != nil {
		return err
	}
	v := &view{Title: "Settings", Nav: "settings", Data: d}
	if a.ok() {
		d.Test = &connectionTest{}
		if err := a.decode(d.Test); err != nil {
			return err
		}
	} else if a.Problem != nil && a.Status != http.StatusUnauthorized {
		v.Problem = a.Problem
	} else {
		return a.failure()
	}
	x.render(http.StatusOK, "settings", v)
	return nil
}
