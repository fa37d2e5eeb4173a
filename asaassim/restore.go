package asaassim

import (
	"fmt"
	"time"
)

// restore rebuilds the state from a snapshot: entities, the pointers between
// them and every index, as the API calls that made them would have. It runs in
// Open before anything is served or delivered. A reference to an id the file
// does not hold is an error: the file was edited or cut short.
func (s *Server) restore(snap *snapshot) error {
	if snap.Format != stateFormat {
		return fmt.Errorf("format %d, this simulator reads format %d", snap.Format, stateFormat)
	}
	st := newState()
	s.st = st
	s.st.customerSeq, s.st.paymentSeq, s.st.eventSeq, s.st.linkSeq = snap.CustomerSeq, snap.PaymentSeq, snap.EventSeq, snap.LinkSeq
	s.generation = snap.Generation + 1
	for _, as := range snap.Accounts {
		if s.st.accounts[as.ID] != nil || s.st.byKey[as.APIKey] != nil || s.st.byWallet[as.WalletID] != nil {
			return fmt.Errorf("account %s: id, API key or walletId repeated", as.ID)
		}
		s.register(s.restoreAccount(as))
	}
	r := restorer{s: s}
	for _, cs := range snap.Customers {
		r.customer(cs)
	}
	for _, is := range snap.Installments {
		r.installment(is)
	}
	for _, ps := range snap.Payments {
		r.payment(ps)
	}
	for _, ls := range snap.Links {
		r.link(ls)
	}
	for _, ts := range snap.Transfers {
		r.transfer(ts)
	}
	for _, bs := range snap.Bills {
		r.bill(bs)
	}
	return r.err
}

func (s *Server) restoreAccount(as accountSnap) *account {
	a := s.newAccount(as.Account, as.Webhook.Config)
	a.balance, a.anticipationLimit = as.Balance, as.AnticipationLimit
	a.invoiceSeq, a.nossoSeq = as.InvoiceSeq, as.NossoSeq
	for _, c := range as.CardTokens {
		a.cardTokens[c.Token] = restoreCard(&c)
	}
	q := a.hooks
	q.paused, q.failures = as.Webhook.Paused, as.Webhook.Failures
	for _, d := range as.Webhook.Pending {
		q.pending = append(q.pending, &d)
		q.history = append(q.history, &d)
	}
	if h := as.Webhook.Held; h != nil {
		q.held, q.heldAt = h, time.Now()
		q.history = append(q.history, h)
	}
	return a
}

func restoreCard(c *cardSnap) *cardInfo {
	if c == nil {
		return nil
	}
	return &cardInfo{last4: c.Last4, brand: c.Brand, token: c.Token}
}

// restorer resolves ids to entities and keeps the first unknown one as err.
type restorer struct {
	s   *Server
	err error
}

func (r *restorer) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

func (r *restorer) account(id, of string) *account {
	a := r.s.st.accounts[id]
	if a == nil {
		r.fail("%s names unknown account %q", of, id)
	}
	return a
}

func (r *restorer) ownCustomer(a *account, id, of string) *customer {
	c := r.s.st.customers[id]
	if c == nil || c.acct != a {
		r.fail("%s names unknown customer %q", of, id)
		return nil
	}
	return c
}

func (r *restorer) customer(cs customerSnap) {
	a := r.account(cs.AccountID, "customer "+cs.ID)
	if a == nil {
		return
	}
	c := &customer{
		id: cs.ID, acct: a, dateCreated: cs.DateCreated, name: cs.Name, cpfCnpj: cs.CpfCnpj, deleted: cs.Deleted,
		email: cs.Email, company: cs.Company, phone: cs.Phone, mobilePhone: cs.MobilePhone, address: cs.Address,
		addressNumber: cs.AddressNumber, complement: cs.Complement, province: cs.Province, postalCode: cs.PostalCode,
		additionalEmails: cs.AdditionalEmails, externalReference: cs.ExternalReference, observations: cs.Observations,
		municipalInscription: cs.MunicipalInscription, stateInscription: cs.StateInscription,
		notificationDisabled: cs.NotificationDisabled,
	}
	r.s.st.customers[c.id] = c
	a.customers = append(a.customers, c)
	if c.externalReference != nil {
		a.custByExt[*c.externalReference] = append(a.custByExt[*c.externalReference], c)
	}
	if c.cpfCnpj != "" {
		a.custByDoc[c.cpfCnpj] = append(a.custByDoc[c.cpfCnpj], c)
	}
}

func (r *restorer) installment(is installmentSnap) {
	of := "installment " + is.ID
	a := r.account(is.AccountID, of)
	if a == nil {
		return
	}
	c := r.ownCustomer(a, is.CustomerID, of)
	if c == nil {
		return
	}
	r.s.st.installments[is.ID] = &installment{
		id: is.ID, acct: a, customer: c, value: is.Value, count: is.Count, billingType: is.BillingType,
		description: is.Description, expirationDay: is.ExpirationDay, dateCreated: is.DateCreated,
		paymentDate: is.PaymentDate, card: restoreCard(is.Card), receiptURL: is.ReceiptURL, paymentLink: is.PaymentLink,
	}
}

// payment rebuilds a charge; addPayment indexes it as creation did (payments
// come in creation order, so a plan's parcels line up by number).
func (r *restorer) payment(ps paymentSnap) {
	of := "payment " + ps.ID
	a := r.account(ps.AccountID, of)
	if a == nil {
		return
	}
	c := r.ownCustomer(a, ps.CustomerID, of)
	if c == nil {
		return
	}
	p := &payment{
		id: ps.ID, acct: a, customer: c, number: ps.Number, dateCreated: ps.DateCreated, value: ps.Value,
		netValue: ps.NetValue, originalValue: ps.OriginalValue, interestValue: ps.InterestValue,
		description: ps.Description, billingType: ps.BillingType, methodType: ps.MethodType, status: ps.Status,
		dueDate: ps.DueDate, originalDueDate: ps.OriginalDueDate, paymentDate: ps.PaymentDate,
		clientPaymentDate: ps.ClientPaymentDate, confirmedDate: ps.ConfirmedDate, creditDate: ps.CreditDate,
		estimatedCreditDate: ps.EstimatedCreditDate, invoiceNumber: ps.InvoiceNumber, nossoNumero: ps.NossoNumero,
		externalReference: ps.ExternalReference, deleted: ps.Deleted, card: restoreCard(ps.Card),
		receiptURL: ps.ReceiptURL, discount: discountRule{value: ps.Discount.Value, dueDateLimitDays: ps.Discount.DueDateLimitDays, typ: ps.Discount.Type},
		fine: fineRule{value: ps.Fine.Value, typ: ps.Fine.Type}, interest: interestRule{value: ps.Interest},
		refunds: ps.Refunds, paymentLink: ps.PaymentLink, statusBeforeChargeback: ps.StatusBeforeChargeback,
	}
	if ps.InstallmentID != "" {
		if p.plan = r.s.st.installments[ps.InstallmentID]; p.plan == nil || p.plan.acct != a {
			r.fail("%s names unknown installment %q", of, ps.InstallmentID)
			return
		}
	}
	for _, ss := range ps.Splits {
		wallet := r.s.st.byWallet[ss.WalletID]
		if wallet == nil {
			r.fail("%s splits to unknown wallet %q", of, ss.WalletID)
			return
		}
		p.splits = append(p.splits, &split{
			splitInput: splitInput{wallet: wallet, fixed: ss.Fixed, percent: ss.Percent, totalFixed: ss.TotalFixed,
				externalReference: ss.ExternalReference, description: ss.Description},
			id: ss.ID, total: ss.Total, status: ss.Status, cancellationReason: ss.CancellationReason, refusalReason: ss.RefusalReason, credited: ss.Credited,
		})
	}
	if cb := ps.Chargeback; cb != nil {
		p.chargeback = &chargebackInfo{status: cb.Status, reason: cb.Reason}
	}
	if b := ps.BeforeCash; b != nil {
		p.beforeCash = &cashUndo{status: b.Status, billingType: b.BillingType, value: b.Value, netValue: b.NetValue, originalValue: b.OriginalValue}
	}
	if r.s.st.payments[p.id] != nil {
		r.fail("%s appears twice", of)
		return
	}
	p.seq = ps.Seq
	r.s.indexPayment(p)
}

func (r *restorer) link(ls linkSnap) {
	a := r.account(ls.AccountID, "payment link "+ls.ID)
	if a == nil {
		return
	}
	r.s.st.links[ls.ID] = &paymentLink{
		id: ls.ID, acct: a, name: ls.Name, value: ls.Value, billingType: ls.BillingType, chargeType: ls.ChargeType,
		subscriptionCycle: ls.SubscriptionCycle, description: ls.Description, endDate: ls.EndDate,
		dueDateLimitDays: ls.DueDateLimitDays, maxInstallmentCount: ls.MaxInstallmentCount,
		notificationEnabled: ls.NotificationEnabled, isAddressRequired: ls.IsAddressRequired,
		externalReference: ls.ExternalReference,
	}
}

func (r *restorer) transfer(ts transferSnap) {
	a := r.account(ts.AccountID, "transfer "+ts.ID)
	if a == nil {
		return
	}
	t := &transfer{
		id: ts.ID, acct: a, dateCreated: ts.DateCreated, value: ts.Value, status: ts.Status, typ: ts.Type,
		operationType: ts.OperationType, effectiveDate: ts.EffectiveDate, scheduleDate: ts.ScheduleDate,
		failReason: ts.FailReason, externalReference: ts.ExternalReference, description: ts.Description,
		receiptURL: ts.ReceiptURL, bankAccount: ts.BankAccount, walletID: ts.WalletID,
	}
	r.s.st.transfers[t.id] = t
	r.s.st.transferOrder = append(r.s.st.transferOrder, t)
}

func (r *restorer) bill(bs billSnap) {
	a := r.account(bs.AccountID, "bill "+bs.ID)
	if a == nil {
		return
	}
	r.s.st.bills[bs.ID] = &bill{
		id: bs.ID, acct: a, stage: bs.Stage, value: bs.Value, identificationField: bs.IdentificationField,
		dueDate: bs.DueDate, scheduleDate: bs.ScheduleDate, paymentDate: bs.PaymentDate, description: bs.Description,
		companyName: bs.CompanyName, receiptURL: bs.ReceiptURL, failReasons: bs.FailReasons,
	}
}
