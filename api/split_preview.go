package api

import (
	"encoding/json"
	"errors"

	"billing/db/dbgen"
	"billing/domain"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// splitPreviewInput is POST /v1/split-rules/preview: split rules (as a template or
// contract takes them) and an example payment. net_amount defaults to amount (no
// gateway fee); origin manual makes every payee's share a pending payout, as
// receiveInCash cancels the Asaas split.
type splitPreviewInput struct {
	SplitRules []ruleInput     `json:"split_rules"`
	Amount     json.RawMessage `json:"amount"`
	NetAmount  json.RawMessage `json:"net_amount"`
	Origin     *string         `json:"origin"`
}

type previewEntry struct {
	RulePosition *int32     `json:"rule_position"` // null: the implicit fee, or the account's own remainder
	Kind         string     `json:"kind"`
	PayeeID      *uuid.UUID `json:"payee_id"`
	Amount       string     `json:"amount"`
	Status       string     `json:"status"`
}

type splitPreview struct {
	Amount    string         `json:"amount"`
	NetAmount string         `json:"net_amount"`
	FeeAmount string         `json:"fee_amount"`
	Shortfall string         `json:"shortfall"`
	Total     string         `json:"total"` // the entries' sum: always amount
	Entries   []previewEntry `json:"entries"`
}

// previewSplit validates the rules exactly as a template does and allocates the
// example payment with domain.Allocate, the code that allocates real payments.
// It writes nothing.
func (s *Server) previewSplit(c *gin.Context) {
	var in splitPreviewInput
	if err := decodeJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	var f fields
	amount := f.money("amount", nullIfJSONNull(in.Amount))
	net := amount
	if raw := nullIfJSONNull(in.NetAmount); raw != nil {
		d, err := domain.ParseMoneyJSON(raw)
		if err != nil {
			f.add("net_amount", "%s", reason(err, domain.ErrInvalidMoney))
		} else if f.ok() && d.GreaterThan(amount) {
			f.add("net_amount", "must not be greater than amount")
		}
		net = d
	}
	manual := false
	if in.Origin != nil {
		manual = f.oneOf("origin", *in.Origin, "gateway", "manual") == "manual"
		if manual && f.ok() && !net.Equal(amount) {
			f.add("net_amount", "must equal amount for a manual payment (it has no gateway fee)")
		}
	}
	rules, err := f.splitRules(c.Request.Context(), dbgen.New(s.deps.Pool), actor(c).AccountID, in.SplitRules)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	alloc, err := domain.Allocate(domain.PaymentAmounts{Paid: amount, Net: net, Manual: manual}, rules)
	var invalid domain.FieldErrors
	if errors.As(err, &invalid) {
		err = Validation(fromDomain(invalid)...)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := splitPreview{Amount: formatMoney(amount), NetAmount: formatMoney(net), FeeAmount: formatMoney(amount.Sub(net)),
		Shortfall: formatMoney(alloc.Shortfall), Total: formatMoney(domain.SumEntries(alloc.Entries)), Entries: make([]previewEntry, len(alloc.Entries))}
	for i, e := range alloc.Entries {
		pe := previewEntry{Kind: string(e.Kind), Amount: formatMoney(e.Amount), Status: string(e.Status)}
		if e.RuleIndex >= 0 {
			position := int32(e.RuleIndex + 1)
			pe.RulePosition = &position
		}
		if e.PayeeID != "" {
			id := uuid.MustParse(e.PayeeID) // splitRules parsed it
			pe.PayeeID = &id
		}
		out.Entries[i] = pe
	}
	s.reply(c, ok(out), nil)
}
