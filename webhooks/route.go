package webhooks

import (
	"fmt"
	"slices"

	"billing/asaas"
	"billing/domain"
	"billing/workflows"

	"github.com/google/uuid"
)

// Account is the account whose webhook secret delivered an event, as the
// handler found it, with the hash of that secret: storing the delivery checks
// again that the secret is still the account's.
type Account struct {
	ID         uuid.UUID
	SecretHash []byte
}

type targetKind int

const (
	toNobody   targetKind = iota // recorded as ignored, with the reason
	toBill                       // the bill tracker, in the delivery's transaction
	toContract                   // a signal to the contract's workflow
)

// target is what an event is for: the one place a delivery is routed.
type target struct {
	kind        targetKind
	contractID  uuid.UUID
	installment int
	reason      string // toNobody: why
}

func nobody(format string, args ...any) target {
	return target{kind: toNobody, reason: fmt.Sprintf(format, args...)}
}

// route decides what a parsed delivery is for. A payment event goes to the
// contract its charge reference names (parsed here, once) when the contract acts
// on that event; whether the contract is running, whose it is and what the event
// does to it are the contract workflow's to decide. An account whose billing
// module is disabled only records its events (decided as the delivery is stored).
func route(ev asaas.WebhookEvent) target {
	switch {
	case asaas.IsBillEvent(ev.Event):
		if ev.Bill == nil || ev.Bill.ID == "" {
			return nobody("bill event without a readable bill object")
		}
		return target{kind: toBill}
	case asaas.IsPaymentEvent(ev.Event):
		if ev.Payment == nil {
			return nobody("payment event without a readable payment object")
		}
		contractID, n, ours := domain.ParseChargeReference(ev.Payment.ExternalRef())
		if !ours {
			return nobody("payment not created by billing (no externalReference of ours); recorded only")
		}
		if !slices.Contains(workflows.ContractEvents, ev.Event) {
			return nobody("%s does not change a contract; recorded only", ev.Event)
		}
		return target{kind: toContract, contractID: uuid.MustParse(contractID), installment: n}
	}
	return nobody("event %s is not handled by billing; recorded only", ev.Event)
}
