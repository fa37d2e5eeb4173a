package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"billing/asaas"
	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"
)

// What a payer needs to pay an open charge: the boleto's typeable line and the PIX
// copy-and-paste code and QR image, from Asaas, kept per charge in
// charge_payment_instructions (they do not change while the charge's value and due
// date do not), next to the invoice and bank slip URLs stored with the charge.

// Parts of a charge's payment instructions, one Asaas call each.
const (
	partBoleto = "boleto" // GET /v3/payments/{id}/identificationField
	partPix    = "pix"    // GET /v3/payments/{id}/pixQrCode
)

type boletoLine struct {
	IdentificationField string `json:"identification_field"` // the typeable line (linha digitável)
	NossoNumero         string `json:"nosso_numero"`
	BarCode             string `json:"bar_code"`
}

type pixCode struct {
	Payload        string `json:"payload"`       // the copy-and-paste code
	EncodedImage   string `json:"encoded_image"` // base64 PNG
	ExpirationDate string `json:"expiration_date"`
}

// instructionsFetchLimit bounds the Asaas calls one contract view makes at once.
const instructionsFetchLimit = 4

// fresh reports whether a stored part is still the charge's: same value and due
// date (a typeable line and a PIX payload encode both).
func fresh(stored *dbgen.ChargePaymentInstruction, ch dbgen.Charge) bool {
	return stored != nil && stored.Value.Equal(ch.Value) && stored.DueDate.Equal(ch.DueDate)
}

// chargePart is one part of a charge's instructions: the stored answer when it is
// fresh, else fetch's (Asaas's), stored for next time. stored may be nil.
func chargePart[T any](ctx context.Context, q *dbgen.Queries, ch dbgen.Charge, part string, stored *dbgen.ChargePaymentInstruction,
	fetch func(context.Context) (T, error)) (T, error) {
	var out T
	if fresh(stored, ch) && json.Unmarshal(stored.Data, &out) == nil {
		return out, nil
	}
	out, err := fetch(ctx)
	if err != nil {
		return out, err
	}
	data, err := json.Marshal(out)
	if err != nil {
		return out, err
	}
	return out, q.UpsertChargeInstruction(ctx, dbgen.UpsertChargeInstructionParams{AccountID: ch.AccountID, ChargeID: ch.ID,
		Part: part, Value: ch.Value, DueDate: ch.DueDate, Data: data})
}

// boletoFrom asks Asaas for a charge's typeable line and barcode.
func boletoFrom(cl *asaas.Client, paymentID string) func(context.Context) (boletoLine, error) {
	return func(ctx context.Context) (boletoLine, error) {
		f, err := cl.IdentificationField(ctx, paymentID)
		return boletoLine{f.IdentificationField, f.NossoNumero, f.BarCode}, err
	}
}

// pixFrom asks Asaas for a charge's PIX QR code.
func pixFrom(cl *asaas.Client, paymentID string) func(context.Context) (pixCode, error) {
	return func(ctx context.Context) (pixCode, error) {
		qr, err := cl.PixQrCode(ctx, paymentID)
		return pixCode{qr.Payload, qr.EncodedImage, qr.ExpirationDate}, err
	}
}

// storedPart is the stored part of a charge, nil when there is none.
func storedPart(ctx context.Context, q *dbgen.Queries, ch dbgen.Charge, part string) (*dbgen.ChargePaymentInstruction, error) {
	row, err := q.GetChargeInstruction(ctx, dbgen.GetChargeInstructionParams{AccountID: ch.AccountID, ChargeID: ch.ID, Part: part})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &row, err
}

// partsOf are the parts a charge of a billing type offers: a boleto carries a PIX QR
// code too (Asaas's hybrid boleto), a PIX charge has no boleto, UNDEFINED lets the
// payer choose either.
func partsOf(billingType string) []string {
	switch billingType {
	case asaas.BillingBoleto, asaas.BillingUndefined:
		return []string{partBoleto, partPix}
	case asaas.BillingPix:
		return []string{partPix}
	}
	return nil
}

// paymentInstructionsView is an open installment's payment_instructions: what the
// payer needs, and which parts could not be had from Asaas this time (asked again
// on the next request).
type paymentInstructionsView struct {
	InvoiceURL  *string           `json:"invoice_url"`
	BankSlipURL *string           `json:"bank_slip_url"`
	Boleto      *boletoLine       `json:"boleto"`
	Pix         *pixCode          `json:"pix"`
	Unavailable []unavailablePart `json:"unavailable"`
}

type unavailablePart struct {
	Part   string `json:"part"`
	Detail string `json:"detail"`
}

// addPaymentInstructions sets payment_instructions on every installment of d that
// can still be paid at Asaas (open or overdue, its charge pending or overdue and not
// deleted): stored parts at once, missing ones from Asaas, instructionsFetchLimit
// at a time, all within asaasCallTimeout. A part Asaas does not give is listed in
// unavailable; the contract is shown anyway.
func (s *Server) addPaymentInstructions(ctx context.Context, q *dbgen.Queries, c dbgen.Contract, d *contractDetail) error {
	charges, err := q.ListContractCharges(ctx, dbgen.ListContractChargesParams{AccountID: c.AccountID, ContractID: c.ID})
	if err != nil {
		return err
	}
	rows, err := q.ListContractChargeInstructions(ctx, dbgen.ListContractChargeInstructionsParams{AccountID: c.AccountID, ContractID: c.ID})
	if err != nil {
		return err
	}
	stored := map[[2]string]*dbgen.ChargePaymentInstruction{} // by charge id and part
	for i := range rows {
		stored[[2]string{rows[i].ChargeID.String(), rows[i].Part}] = &rows[i]
	}
	chargeOf := map[uuid.UUID]dbgen.Charge{}
	for _, ch := range charges {
		chargeOf[ch.InstallmentID] = ch
	}
	var mu sync.Mutex // guards the views while parts come in
	set := func(v *paymentInstructionsView, part string, err error, ok func()) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			v.Unavailable = append(v.Unavailable, unavailablePart{Part: part, Detail: unavailableDetail(part, err)})
			return
		}
		ok()
	}
	cl, noClient := s.accountAsaas(ctx, c.AccountID)
	ctx, cancel := context.WithTimeout(ctx, asaasCallTimeout)
	defer cancel()
	var g errgroup.Group
	g.SetLimit(instructionsFetchLimit)
	for i := range d.Installments {
		in := &d.Installments[i]
		ch, ok := chargeOf[in.ID]
		if !ok || chargePayable(int(in.Number), in.Status, ch) != nil {
			continue
		}
		v := &paymentInstructionsView{InvoiceURL: ch.InvoiceUrl, BankSlipURL: ch.BankSlipUrl, Unavailable: []unavailablePart{}}
		in.PaymentInstructions = v
		for _, part := range partsOf(ch.BillingType) {
			cached := stored[[2]string{ch.ID.String(), part}]
			if noClient != nil && !fresh(cached, ch) {
				set(v, part, noClient, nil)
				continue
			}
			g.Go(func() error {
				pq := dbgen.New(s.deps.Pool) // each part is stored on its own: a request cut short keeps what it got
				switch part {
				case partBoleto:
					line, err := chargePart(ctx, pq, ch, part, cached, boletoFrom(cl, ch.AsaasPaymentID))
					set(v, part, err, func() { v.Boleto = &line })
				case partPix:
					code, err := chargePart(ctx, pq, ch, part, cached, pixFrom(cl, ch.AsaasPaymentID))
					set(v, part, err, func() { v.Pix = &code })
				}
				return nil
			})
		}
	}
	return g.Wait()
}

// unavailableDetail says in a sentence why a part is missing.
func unavailableDetail(part string, err error) string {
	action := map[string]string{partBoleto: "get the boleto's typeable line", partPix: "generate the PIX QR code"}[part]
	if asaas.IsNotFound(err) {
		return "The charge no longer exists in Asaas."
	}
	var p *Problem
	if errors.As(gatewayProblem(err, action), &p) {
		return p.Detail
	}
	return fmt.Sprintf("Asaas could not be asked to %s; try again.", action)
}
