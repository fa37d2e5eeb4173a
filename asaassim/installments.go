package asaassim

import (
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// installment is a payment plan: N parcels created at once.
type installment struct {
	id            string
	acct          *account
	customer      *customer
	value         decimal.Decimal // the plan total
	count         int
	billingType   string
	description   *string
	expirationDay int
	dateCreated   time.Time
	paymentDate   *time.Time
	card          *cardInfo
	receiptURL    *string
	paymentLink   *string
	parcels       []*payment // parcel n at index n-1
}

// render: installment keys in the captured order. netValue is the sum of the
// parcels' nets; paymentValue is the value of the LAST parcel (FACTS).
func (in *installment) render() obj {
	net := decimal.Zero
	for _, p := range in.parcels {
		net = net.Add(p.netValue)
	}
	return obj{
		{"object", "installment"},
		{"id", in.id},
		{"value", in.value},
		{"netValue", net},
		{"paymentValue", in.parcels[len(in.parcels)-1].value},
		{"installmentCount", in.count},
		{"billingType", in.billingType},
		{"paymentDate", dateOrNil(in.paymentDate)},
		{"description", in.description},
		{"expirationDay", in.expirationDay},
		{"deleted", false},
		{"dateCreated", fmtDate(in.dateCreated)},
		{"checkoutSession", nil},
		{"customer", in.customer.id},
		{"paymentLink", in.paymentLink},
		{"transactionReceiptUrl", in.receiptURL},
		{"creditCard", in.card.render()},
		{"refunds", nil},
	}
}

// createInstallment: POST /v3/installments answers the installment object.
func (s *Server) createInstallment(a *account, r *http.Request) (any, *Error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.parseCharge(a, b, modeInstallment)
	if err != nil {
		return nil, err
	}
	plan, _ := s.createCharges(a, in)
	return plan.render(), nil
}

func (s *Server) ownInstallment(a *account, id string) (*installment, *Error) {
	plan := s.st.installments[id]
	if plan == nil || plan.acct != a {
		return nil, notFound("Parcelamento")
	}
	return plan, nil
}

func (s *Server) getInstallment(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	plan, err := s.ownInstallment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return plan.render(), nil
}

// listInstallmentPayments: GET /v3/installments/{id}/payments, in the list
// envelope (FACTS), newest parcel first, deleted parcels excluded, optional
// status filter.
func (s *Server) listInstallmentPayments(a *account, r *http.Request) (any, *Error) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	plan, err := s.ownInstallment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	status := q.Get("status")
	today := s.today()
	match := func(p *payment) bool { return !p.deleted && (status == "" || p.status == status) }
	return listPage(plan.parcels, match, parsePage(q), func(p *payment) obj { return p.render(today) }), nil
}
