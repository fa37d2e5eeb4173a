package domain

// Bill payment statuses (Asaas BILL_* events). PAID, CANCELLED, FAILED and
// REFUNDED are terminal; REFUNDED may follow PAID.
const (
	BillPending        = "PENDING"
	BillBankProcessing = "BANK_PROCESSING"
	BillPaid           = "PAID"
	BillFailed         = "FAILED"
	BillCancelled      = "CANCELLED"
	BillRefunded       = "REFUNDED"
)

var billRank = map[string]int{
	BillPending: 1, BillBankProcessing: 2,
	BillPaid: 3, BillFailed: 3, BillCancelled: 3,
	BillRefunded: 4,
}

// BillStatusAdvances reports whether a bill at status current moves to next: only
// forward, so an out-of-order older event (kept in the timeline) never moves a
// bill back, and one terminal status never replaces another except REFUNDED.
// An unknown status never replaces a known one.
func BillStatusAdvances(current, next string) bool {
	if current == "" {
		return next != ""
	}
	return billRank[next] > billRank[current]
}

// BillStatusOfEvent is the status a BILL_* event names ("BILL_PAID" → "PAID").
func BillStatusOfEvent(event string) string {
	const prefix = "BILL_"
	if len(event) > len(prefix) && event[:len(prefix)] == prefix {
		if s := event[len(prefix):]; s != "CREATED" {
			return s
		}
		return BillPending
	}
	return ""
}
