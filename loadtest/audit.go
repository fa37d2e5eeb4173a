package loadtest

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// Audit is the exactly-once verdict of a chaos run: each count is a number of
// violations; any violation fails the run, with the offending ids listed.
type Audit struct {
	Checked struct {
		Events    int `json:"events"`
		Contracts int `json:"contracts"`
		Payments  int `json:"payments"`
		Charges   int `json:"gateway_charges"`
	} `json:"checked"`
	EventsLost           int         `json:"events_lost"`
	PaymentsAppliedTwice int         `json:"payments_applied_twice"`
	SplitMismatches      int         `json:"split_sum_mismatches"`
	WrongFinalState      int         `json:"wrong_final_state"`
	ChargesNotDeleted    int         `json:"cancelled_charges_not_deleted"`
	StrayCharges         int         `json:"stray_open_charges"`
	Violations           []Violation `json:"violations,omitempty"`
}

// Violation names a broken rule and the ids to look at.
type Violation struct {
	Check  string `json:"check"`
	ID     string `json:"id"`
	Detail string `json:"detail"`
}

// Passed reports an audit without violations.
func (a Audit) Passed() bool { return len(a.Violations) == 0 }

// Audit checks, in the order they are counted.
const (
	checkEventLost    = "event lost"
	checkAppliedTwice = "payment applied twice"
	checkSplitSum     = "split entries do not sum to the amount paid"
	checkFinalState   = "wrong final state"
	checkNotDeleted   = "charge of a cancelled contract not deleted"
	checkStrayCharge  = "open charge left at the gateway"
)

// Plans of chaos contracts, and the final state each must reach.
const (
	planPaid   = "paid"        // every installment paid at the gateway
	planManual = "manual_race" // #2 marked paid by hand while paid at the gateway
	planCancel = "cancel_race" // #1 paid, then cancelled while #2 is paid at the gateway
)

// auditFacts is everything the audit reads, gathered from PostgreSQL, the
// simulator and the webhooks the simulator emitted.
type auditFacts struct {
	Events    []eventFact
	Contracts []contractFact
}

type eventFact struct {
	ID     string // the Asaas event id
	Stored bool
	Status string // webhook_events.status
	Reason string
}

type contractFact struct {
	ID           string
	Plan         string
	Status       string
	Installments []installmentFact
}

type installmentFact struct {
	Number   int
	Status   string
	Payments []paymentFact
	// Live are the gateway's charges for this installment (by externalReference)
	// that are not deleted.
	Live []gatewayCharge
}

type paymentFact struct {
	ID             string
	Origin         string
	AsaasPaymentID string
	Amount         decimal.Decimal
	SplitSum       decimal.Decimal
}

type gatewayCharge struct {
	ID     string
	Status string
}

func gatewayPaid(status string) bool {
	switch status {
	case "RECEIVED", "CONFIRMED", "RECEIVED_IN_CASH":
		return true
	}
	return false
}

// runAudit applies every rule to the facts.
func runAudit(f auditFacts) Audit {
	var a Audit
	add := func(counter *int, check, id, format string, args ...any) {
		*counter++
		a.Violations = append(a.Violations, Violation{Check: check, ID: id, Detail: fmt.Sprintf(format, args...)})
	}
	a.Checked.Events = len(f.Events)
	for _, e := range f.Events {
		switch {
		case !e.Stored:
			add(&a.EventsLost, checkEventLost, e.ID, "emitted by the gateway, never stored")
		case e.Status == "received":
			add(&a.EventsLost, checkEventLost, e.ID, "stored but never processed")
		case e.Status == "failed":
			add(&a.EventsLost, checkEventLost, e.ID, "processing failed: %s", e.Reason)
		}
	}
	a.Checked.Contracts = len(f.Contracts)
	for _, c := range f.Contracts {
		want := "completed"
		if c.Plan == planCancel {
			want = "cancelled"
		}
		if c.Status != want {
			add(&a.WrongFinalState, checkFinalState, c.ID, "contract (%s) is %s, want %s", c.Plan, c.Status, want)
		}
		for _, in := range c.Installments {
			ref := fmt.Sprintf("%s#%d", c.ID, in.Number)
			a.Checked.Payments += len(in.Payments)
			a.Checked.Charges += len(in.Live)
			if len(in.Payments) > 1 {
				add(&a.PaymentsAppliedTwice, checkAppliedTwice, ref, "%d payments recorded", len(in.Payments))
			}
			for _, p := range in.Payments {
				if !p.SplitSum.Equal(p.Amount) {
					add(&a.SplitMismatches, checkSplitSum, p.ID, "installment %s: amount %s, entries sum to %s", ref, p.Amount.StringFixed(2), p.SplitSum.StringFixed(2))
				}
			}
			var paidAtGateway []gatewayCharge
			for _, g := range in.Live {
				if gatewayPaid(g.Status) {
					paidAtGateway = append(paidAtGateway, g)
					continue
				}
				if c.Plan == planCancel && in.Status != "paid" {
					add(&a.ChargesNotDeleted, checkNotDeleted, g.ID, "installment %s: charge %s is %s", ref, g.ID, g.Status)
				} else {
					add(&a.StrayCharges, checkStrayCharge, g.ID, "installment %s is %s but charge %s is %s at the gateway", ref, in.Status, g.ID, g.Status)
				}
			}
			if len(paidAtGateway) > 1 {
				add(&a.PaymentsAppliedTwice, checkAppliedTwice, ref, "paid %d times at the gateway", len(paidAtGateway))
			}
			paid := len(in.Payments) > 0
			switch {
			case len(paidAtGateway) > 0 && !paid:
				add(&a.WrongFinalState, checkFinalState, ref, "paid at the gateway (%s) but no payment recorded", paidAtGateway[0].ID)
			case paid != (in.Status == "paid"):
				add(&a.WrongFinalState, checkFinalState, ref, "installment is %s with %d payments", in.Status, len(in.Payments))
			case c.Plan != planCancel && in.Status != "paid":
				add(&a.WrongFinalState, checkFinalState, ref, "installment is %s, want paid", in.Status)
			case c.Plan == planCancel && !paid && in.Status != "cancelled":
				add(&a.WrongFinalState, checkFinalState, ref, "installment of a cancelled contract is %s, want cancelled", in.Status)
			case paid && len(paidAtGateway) == 1:
				// The payment recorded must be the one the gateway has: in cash is manual.
				// A gateway payment comes from its webhook or, when that was lost,
				// from a check with Asaas (reconciled).
				p, g := in.Payments[0], paidAtGateway[0]
				wantOrigin := map[string]bool{"gateway": true, "reconciled": true}
				if g.Status == "RECEIVED_IN_CASH" {
					wantOrigin = map[string]bool{"manual": true}
				}
				if !wantOrigin[p.Origin] {
					add(&a.WrongFinalState, checkFinalState, ref, "payment %s is %s but the gateway's charge %s is %s", p.ID, p.Origin, g.ID, g.Status)
				}
			case paid && len(paidAtGateway) == 0:
				add(&a.WrongFinalState, checkFinalState, ref, "payment %s recorded but no charge is paid at the gateway", in.Payments[0].ID)
			}
		}
	}
	sort.SliceStable(a.Violations, func(i, j int) bool { return a.Violations[i].Check < a.Violations[j].Check })
	return a
}
