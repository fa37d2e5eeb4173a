package asaassim

import (
	"encoding/json"
	"sort"
	"time"
)

// capture copies the state into a snapshot that shares nothing mutable with
// it, so it can be encoded after the locks are released.
func (s *Server) capture() *snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.st
	snap := &snapshot{
		Format: stateFormat, SavedAt: time.Now().UTC(), Generation: s.generation,
		CustomerSeq: st.customerSeq, PaymentSeq: st.paymentSeq, EventSeq: st.eventSeq, LinkSeq: st.linkSeq,
	}
	var payments []*payment
	for _, a := range st.accountOrder {
		snap.Accounts = append(snap.Accounts, captureAccount(a))
		for _, c := range a.customers {
			snap.Customers = append(snap.Customers, captureCustomer(c))
		}
		payments = append(payments, a.payments...)
	}
	sort.Slice(payments, func(i, j int) bool { return payments[i].seq < payments[j].seq })
	for _, p := range payments {
		snap.Payments = append(snap.Payments, capturePayment(p))
	}
	for _, id := range sortedKeys(st.installments) {
		snap.Installments = append(snap.Installments, captureInstallment(st.installments[id]))
	}
	for _, id := range sortedKeys(st.links) {
		snap.Links = append(snap.Links, captureLink(st.links[id]))
	}
	for _, t := range st.transferOrder {
		snap.Transfers = append(snap.Transfers, captureTransfer(t))
	}
	for _, id := range sortedKeys(st.bills) {
		snap.Bills = append(snap.Bills, captureBill(st.bills[id]))
	}
	return snap
}

func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func captureAccount(a *account) accountSnap {
	out := accountSnap{
		Account: a.Account, Balance: a.balance, AnticipationLimit: a.anticipationLimit,
		InvoiceSeq: a.invoiceSeq, NossoSeq: a.nossoSeq, Webhook: a.hooks.capture(),
	}
	for _, token := range sortedKeys(a.cardTokens) {
		out.CardTokens = append(out.CardTokens, *captureCard(a.cardTokens[token]))
	}
	return out
}

func (q *hookQueue) capture() queueSnap {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := queueSnap{Config: q.cfg, Paused: q.paused, Failures: q.failures}
	out.Config.Events = append([]string(nil), q.cfg.Events...)
	for _, d := range q.pending {
		out.Pending = append(out.Pending, copyDelivery(d))
	}
	if q.held != nil {
		h := copyDelivery(q.held)
		out.Held = &h
	}
	return out
}

func copyDelivery(d *Delivery) Delivery {
	out := *d
	out.Attempts = append([]Attempt(nil), d.Attempts...)
	return out
}

func captureCard(c *cardInfo) *cardSnap {
	if c == nil {
		return nil
	}
	return &cardSnap{Last4: c.last4, Brand: c.brand, Token: c.token}
}

func captureCustomer(c *customer) customerSnap {
	return customerSnap{
		ID: c.id, AccountID: c.acct.ID, DateCreated: c.dateCreated, Name: c.name, CpfCnpj: c.cpfCnpj,
		Deleted: c.deleted, Email: c.email, Company: c.company, Phone: c.phone, MobilePhone: c.mobilePhone,
		Address: c.address, AddressNumber: c.addressNumber, Complement: c.complement, Province: c.province,
		PostalCode: c.postalCode, AdditionalEmails: c.additionalEmails, ExternalReference: c.externalReference,
		Observations: c.observations, MunicipalInscription: c.municipalInscription,
		StateInscription: c.stateInscription, NotificationDisabled: c.notificationDisabled,
	}
}

func captureInstallment(in *installment) installmentSnap {
	return installmentSnap{
		ID: in.id, AccountID: in.acct.ID, CustomerID: in.customer.id, Value: in.value, Count: in.count,
		BillingType: in.billingType, Description: in.description, ExpirationDay: in.expirationDay,
		DateCreated: in.dateCreated, PaymentDate: in.paymentDate, Card: captureCard(in.card),
		ReceiptURL: in.receiptURL, PaymentLink: in.paymentLink,
	}
}

func capturePayment(p *payment) paymentSnap {
	out := paymentSnap{
		ID: p.id, Seq: p.seq, AccountID: p.acct.ID, CustomerID: p.customer.id, Number: p.number,
		DateCreated: p.dateCreated, Value: p.value, NetValue: p.netValue, OriginalValue: p.originalValue,
		InterestValue: p.interestValue, Description: p.description, BillingType: p.billingType,
		MethodType: p.methodType, Status: p.status, DueDate: p.dueDate, OriginalDueDate: p.originalDueDate,
		PaymentDate: p.paymentDate, ClientPaymentDate: p.clientPaymentDate, ConfirmedDate: p.confirmedDate,
		CreditDate: p.creditDate, EstimatedCreditDate: p.estimatedCreditDate, InvoiceNumber: p.invoiceNumber,
		NossoNumero: p.nossoNumero, ExternalReference: p.externalReference, Deleted: p.deleted,
		Card: captureCard(p.card), ReceiptURL: p.receiptURL,
		Discount:    discountSnap{Value: p.discount.value, DueDateLimitDays: p.discount.dueDateLimitDays, Type: p.discount.typ},
		Fine:        fineSnap{Value: p.fine.value, Type: p.fine.typ},
		Interest:    p.interest.value,
		Refunds:     append([]json.RawMessage(nil), p.refunds...),
		PaymentLink: p.paymentLink, StatusBeforeChargeback: p.statusBeforeChargeback,
	}
	if p.plan != nil {
		out.InstallmentID = p.plan.id
	}
	for _, sp := range p.splits {
		out.Splits = append(out.Splits, splitSnap{
			ID: sp.id, WalletID: sp.wallet.WalletID, Fixed: sp.fixed, Percent: sp.percent, TotalFixed: sp.totalFixed,
			ExternalReference: sp.externalReference, Description: sp.description, Total: sp.total,
			Status: sp.status, CancellationReason: sp.cancellationReason, RefusalReason: sp.refusalReason, Credited: sp.credited,
		})
	}
	if p.chargeback != nil {
		out.Chargeback = &chargebackSnap{Status: p.chargeback.status, Reason: p.chargeback.reason}
	}
	if b := p.beforeCash; b != nil {
		out.BeforeCash = &cashSnap{Status: b.status, BillingType: b.billingType, Value: b.value, NetValue: b.netValue, OriginalValue: b.originalValue}
	}
	return out
}

func captureLink(l *paymentLink) linkSnap {
	return linkSnap{
		ID: l.id, AccountID: l.acct.ID, Name: l.name, Value: l.value, BillingType: l.billingType,
		ChargeType: l.chargeType, SubscriptionCycle: l.subscriptionCycle, Description: l.description,
		EndDate: l.endDate, DueDateLimitDays: l.dueDateLimitDays, MaxInstallmentCount: l.maxInstallmentCount,
		NotificationEnabled: l.notificationEnabled, IsAddressRequired: l.isAddressRequired,
		ExternalReference: l.externalReference,
	}
}

func captureTransfer(t *transfer) transferSnap {
	return transferSnap{
		ID: t.id, AccountID: t.acct.ID, DateCreated: t.dateCreated, Value: t.value, Status: t.status,
		Type: t.typ, OperationType: t.operationType, EffectiveDate: t.effectiveDate, ScheduleDate: t.scheduleDate,
		FailReason: t.failReason, ExternalReference: t.externalReference, Description: t.description,
		ReceiptURL: t.receiptURL, BankAccount: t.bankAccount, WalletID: t.walletID,
	}
}

func captureBill(b *bill) billSnap {
	return billSnap{
		ID: b.id, AccountID: b.acct.ID, Stage: b.stage, Value: b.value, IdentificationField: b.identificationField,
		DueDate: b.dueDate, ScheduleDate: b.scheduleDate, PaymentDate: b.paymentDate, Description: b.description,
		CompanyName: b.companyName, ReceiptURL: b.receiptURL, FailReasons: append([]string(nil), b.failReasons...),
	}
}
