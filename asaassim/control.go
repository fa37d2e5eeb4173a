package asaassim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// The control API drives what Asaas's own users would do (a payer paying, a
// card network settling, a bank processing a bill) and lets tests inspect
// deliveries. Every action is also a Go method for tests in this process.

func errOf(e *Error) error {
	if e == nil {
		return nil
	}
	return e
}

// withPayment runs an action on a live (not deleted) charge of any account.
func (s *Server) withPayment(id string, f func(p *payment) *Error) error {
	defer s.touch()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.payments[id]
	if p == nil {
		return controlError(http.StatusNotFound, "not_found", "payment not found")
	}
	if p.deleted {
		return controlError(http.StatusBadRequest, "invalid_action", "payment is deleted")
	}
	return errOf(f(p))
}

// Pay makes the customer pay a charge: PIX and boleto go to RECEIVED, card to
// CONFIRMED (a card plan confirms all its open parcels).
func (s *Server) Pay(paymentID string, o PayOptions) error {
	return s.withPayment(paymentID, func(p *payment) *Error { return s.pay(p, o) })
}

// Settle credits a CONFIRMED card charge: RECEIVED on date ("" = its creditDate).
func (s *Server) Settle(paymentID, date string) error {
	return s.withPayment(paymentID, func(p *payment) *Error { return s.settle(p, date) })
}

// MarkOverdue moves a PENDING charge to OVERDUE.
func (s *Server) MarkOverdue(paymentID string) error {
	return s.withPayment(paymentID, s.markOverdue)
}

// Refund refunds a received charge (or a confirmed card charge) in full.
func (s *Server) Refund(paymentID, description string) error {
	var desc *string
	if description != "" {
		desc = &description
	}
	return s.withPayment(paymentID, func(p *payment) *Error { return s.refund(p, desc) })
}

// Chargeback opens a chargeback on a confirmed or received card charge.
func (s *Server) Chargeback(paymentID, reason string) error {
	return s.withPayment(paymentID, func(p *payment) *Error { return s.chargeback(p, reason) })
}

// ChargebackDispute opens the dispute of a requested chargeback.
func (s *Server) ChargebackDispute(paymentID string) error {
	return s.withPayment(paymentID, s.chargebackDispute)
}

// ChargebackResolve ends a chargeback: won (the merchant wins the dispute) goes
// to AWAITING_CHARGEBACK_REVERSAL, lost to REFUNDED.
func (s *Server) ChargebackResolve(paymentID string, won bool) error {
	return s.withPayment(paymentID, func(p *payment) *Error { return s.chargebackResolve(p, won) })
}

// ChargebackReversal returns a won chargeback's charge to CONFIRMED or RECEIVED.
func (s *Server) ChargebackReversal(paymentID string) error {
	return s.withPayment(paymentID, s.chargebackReversal)
}

// TickResult says what a Tick moved.
type TickResult struct {
	Overdue       int `json:"overdue"`
	TransfersDone int `json:"transfersDone"`
}

// Tick runs the daily batch Asaas runs on its own: every PENDING charge whose
// due date has passed becomes OVERDUE, and every PENDING transfer scheduled for
// today or earlier becomes DONE.
func (s *Server) Tick() TickResult {
	defer s.touch()
	s.mu.Lock()
	defer s.mu.Unlock()
	today := s.today()
	var res TickResult
	for _, a := range s.st.accountOrder {
		for _, p := range a.payments {
			if !p.deleted && p.status == statusPending && p.dueDate.Before(today) {
				_ = s.markOverdue(p)
				res.Overdue++
			}
		}
	}
	for _, t := range s.st.transferOrder {
		if t.status == "PENDING" && !t.scheduleDate.After(today) {
			s.finishTransfer(t, "DONE", "")
			res.TransfersDone++
		}
	}
	return res
}

// Payment returns a charge as GET /v3/payments/{id} shows it.
func (s *Server) Payment(paymentID string) (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.payments[paymentID]
	if p == nil {
		return nil, controlError(http.StatusNotFound, "not_found", "payment not found")
	}
	return encodeJSON(p.render(s.today())), nil
}

func (s *Server) controlRoutes() {
	m := s.mux
	m.HandleFunc("GET /_sim/health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, obj{{"status", "ok"}})
	})
	m.Handle("POST /_sim/accounts", s.control(func(r *http.Request) (any, *Error) {
		var in struct {
			Account
			Webhook *WebhookConfig `json:"webhook"`
		}
		if err := decodeControl(r, &in); err != nil {
			return nil, err
		}
		acct, err := s.AddAccount(in.Account)
		if err != nil {
			return nil, err.(*Error)
		}
		if in.Webhook != nil {
			_ = s.SetWebhook(acct.ID, *in.Webhook)
		}
		return acct, nil
	}))
	m.Handle("GET /_sim/accounts", s.control(func(*http.Request) (any, *Error) { return s.Accounts(), nil }))
	m.Handle("GET /_sim/accounts/{id}", s.control(func(r *http.Request) (any, *Error) {
		id := r.PathValue("id")
		hooks, err := s.Webhook(id)
		if err != nil {
			return nil, err.(*Error)
		}
		bal, _ := s.Balance(id)
		for _, a := range s.Accounts() {
			if a.ID == id {
				return obj{{"account", a}, {"balance", bal}, {"webhook", hooks}}, nil
			}
		}
		return nil, controlError(http.StatusNotFound, "not_found", "account not found")
	}))
	setWebhook := s.control(func(r *http.Request) (any, *Error) {
		var cfg WebhookConfig
		if err := decodeControl(r, &cfg); err != nil {
			return nil, err
		}
		if err := s.SetWebhook(r.PathValue("id"), cfg); err != nil {
			return nil, err.(*Error)
		}
		st, _ := s.Webhook(r.PathValue("id"))
		return st, nil
	})
	m.Handle("PUT /_sim/accounts/{id}/webhook", setWebhook)
	m.Handle("POST /_sim/accounts/{id}/webhook", setWebhook)
	m.Handle("GET /_sim/accounts/{id}/webhook", s.control(func(r *http.Request) (any, *Error) {
		st, err := s.Webhook(r.PathValue("id"))
		if err != nil {
			return nil, err.(*Error)
		}
		return st, nil
	}))
	m.Handle("POST /_sim/accounts/{id}/webhook/resume", s.control(func(r *http.Request) (any, *Error) {
		if err := s.ResumeWebhooks(r.PathValue("id")); err != nil {
			return nil, err.(*Error)
		}
		st, _ := s.Webhook(r.PathValue("id"))
		return st, nil
	}))
	s.webhookControlRoutes()
	m.Handle("GET /_sim/accounts/{id}/deliveries", s.control(func(r *http.Request) (any, *Error) {
		ds, err := s.Deliveries(r.PathValue("id"))
		if err != nil {
			return nil, err.(*Error)
		}
		return ds, nil
	}))

	// Payment actions answer the charge as GET shows it after the move.
	action := func(run func(id string, r *http.Request) error) http.Handler {
		return s.control(func(r *http.Request) (any, *Error) {
			id := r.PathValue("id")
			if err := run(id, r); err != nil {
				return nil, err.(*Error)
			}
			p, _ := s.Payment(id)
			return p, nil
		})
	}
	m.Handle("POST /_sim/payments/{id}/pay", action(func(id string, r *http.Request) error {
		var o PayOptions
		if err := decodeControl(r, &o); err != nil {
			return err
		}
		return s.Pay(id, o)
	}))
	m.Handle("POST /_sim/payments/{id}/settle", action(func(id string, r *http.Request) error {
		var in struct {
			Date string `json:"date"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.Settle(id, in.Date)
	}))
	m.Handle("POST /_sim/payments/{id}/overdue", action(func(id string, _ *http.Request) error { return s.MarkOverdue(id) }))
	m.Handle("POST /_sim/payments/{id}/refund", action(func(id string, r *http.Request) error {
		var in struct {
			Description string `json:"description"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.Refund(id, in.Description)
	}))
	m.Handle("POST /_sim/payments/{id}/chargeback", action(func(id string, r *http.Request) error {
		var in struct {
			Reason string `json:"reason"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.Chargeback(id, in.Reason)
	}))
	m.Handle("POST /_sim/payments/{id}/chargeback/dispute", action(func(id string, _ *http.Request) error { return s.ChargebackDispute(id) }))
	m.Handle("POST /_sim/payments/{id}/chargeback/resolve", action(func(id string, r *http.Request) error {
		var in struct {
			Won bool `json:"won"`
		}
		if err := decodeControl(r, &in); err != nil {
			return err
		}
		return s.ChargebackResolve(id, in.Won)
	}))
	m.Handle("POST /_sim/payments/{id}/chargeback/reversal", action(func(id string, _ *http.Request) error { return s.ChargebackReversal(id) }))
	m.Handle("POST /_sim/tick", s.control(func(*http.Request) (any, *Error) {
		return s.Tick(), nil
	}))
	m.Handle("POST /_sim/paymentLinks/{id}/pay", s.control(func(r *http.Request) (any, *Error) {
		var o LinkPayOptions
		if err := decodeControl(r, &o); err != nil {
			return nil, err
		}
		id, err := s.PayLink(r.PathValue("id"), o)
		if err != nil {
			return nil, err.(*Error)
		}
		p, _ := s.Payment(id)
		return p, nil
	}))

	m.Handle("POST /_sim/bills", s.control(func(r *http.Request) (any, *Error) {
		var in struct {
			AccountID string `json:"accountId"`
			BillInput
		}
		if err := decodeControl(r, &in); err != nil {
			return nil, err
		}
		id, err := s.CreateBill(in.AccountID, in.BillInput)
		if err != nil {
			return nil, err.(*Error)
		}
		return s.billJSON(id), nil
	}))
	m.Handle("POST /_sim/bills/{id}/status", s.control(func(r *http.Request) (any, *Error) {
		var in struct {
			Status      string   `json:"status"`
			FailReasons []string `json:"failReasons"`
		}
		if err := decodeControl(r, &in); err != nil {
			return nil, err
		}
		if err := s.SetBillStatus(r.PathValue("id"), in.Status, in.FailReasons); err != nil {
			return nil, err.(*Error)
		}
		return s.billJSON(r.PathValue("id")), nil
	}))
	m.Handle("POST /_sim/transfers/{id}/status", s.control(func(r *http.Request) (any, *Error) {
		var in struct {
			Status     string `json:"status"`
			FailReason string `json:"failReason"`
		}
		if err := decodeControl(r, &in); err != nil {
			return nil, err
		}
		if err := s.SetTransferStatus(r.PathValue("id"), in.Status, in.FailReason); err != nil {
			return nil, err.(*Error)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.st.transfers[r.PathValue("id")].render(), nil
	}))

	m.Handle("GET /_sim/faults", s.control(func(*http.Request) (any, *Error) { return faultsJSON(s.CurrentFaults()), nil }))
	m.Handle("PUT /_sim/faults", s.control(func(r *http.Request) (any, *Error) {
		var in struct {
			FailRate     float64         `json:"failRate"`
			TimeoutRate  float64         `json:"timeoutRate"`
			TimeoutDelay json.RawMessage `json:"timeoutDelay"`
			LossRate     float64         `json:"lossRate"`
		}
		if err := decodeControl(r, &in); err != nil {
			return nil, err
		}
		if !validRate(in.LossRate) {
			return nil, controlError(http.StatusBadRequest, "invalid_lossRate", "lossRate must be between 0 and 1")
		}
		f := Faults{FailRate: in.FailRate, TimeoutRate: in.TimeoutRate, LossRate: in.LossRate}
		if len(in.TimeoutDelay) > 0 {
			d, ok := parseDelay(in.TimeoutDelay)
			if !ok {
				return nil, controlError(http.StatusBadRequest, "invalid_timeoutDelay", `timeoutDelay must be a duration ("5s") or milliseconds`)
			}
			f.TimeoutDelay = d
		}
		if f.FailRate < 0 || f.TimeoutRate < 0 || f.FailRate+f.TimeoutRate > 1 {
			return nil, controlError(http.StatusBadRequest, "invalid_rates", "rates must be >= 0 and add up to at most 1")
		}
		s.SetFaults(f)
		return faultsJSON(s.CurrentFaults()), nil
	}))
}

func (s *Server) billJSON(id string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.bills[id].render()
}

func faultsJSON(f Faults) obj {
	return obj{{"failRate", f.FailRate}, {"timeoutRate", f.TimeoutRate}, {"timeoutDelay", f.TimeoutDelay.String()}, {"lossRate", f.LossRate}}
}

func parseDelay(raw json.RawMessage) (time.Duration, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		d, err := time.ParseDuration(s)
		return d, err == nil && d >= 0
	}
	var ms int64
	if json.Unmarshal(raw, &ms) == nil && ms >= 0 {
		return time.Duration(ms) * time.Millisecond, true
	}
	return 0, false
}

// decodeControl reads an optional JSON body into v.
func decodeControl(r *http.Request, v any) *Error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return controlError(http.StatusBadRequest, "invalid_body", "cannot read the body")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return controlError(http.StatusBadRequest, "invalid_body", "invalid JSON: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}
