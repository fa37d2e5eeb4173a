package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"billing/asaas"
	"billing/asaassim"
	"billing/db/dbgen"
	"billing/domain"
	"billing/gateway"
	"billing/secret"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// simGateway is the Asaas simulator behind a real HTTP server, reached by the API
// through a gateway.Connector. The simulator lists no payment links, so the server
// counts the creations it serves.
type simGateway struct {
	sim         *asaassim.Server
	url         string
	linkCreates atomic.Int32
}

// simToday is the simulator's clock: fixed, so the fixtures' due dates are never in
// its past.
var simToday = time.Date(2026, 7, 1, 9, 0, 0, 0, time.FixedZone("BRT", -3*60*60))

// useSimulator rebuilds the env's server with a gateway connector to a fresh simulator.
func (e *apiEnv) useSimulator(t *testing.T) *simGateway {
	t.Helper()
	g := &simGateway{sim: asaassim.New(asaassim.Options{Now: func() time.Time { return simToday }})}
	t.Cleanup(g.sim.Close)
	h := g.sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v3/paymentLinks" {
			g.linkCreates.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	g.url = srv.URL
	e.useGatewayAt(srv.URL)
	return g
}

// useGatewayAt points the env's server at an Asaas base URL.
func (e *apiEnv) useGatewayAt(baseURL string) {
	e.srv = NewServer(Deps{Pool: e.pool, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey,
		Asaas: e.tester, Contracts: e.engine, Gateway: gateway.NewConnector(testSecretKey, baseURL)})
}

// connect opens a simulator account for u and stores its API key as u's Asaas settings
// (sealed as PUT /v1/settings/asaas would); it returns a client of that account.
func (g *simGateway) connect(t *testing.T, e *apiEnv, u tenantUser) *asaas.Client {
	t.Helper()
	acct := g.sim.CreateAccount("Conta " + u.AccountID.String()[:8])
	storeAsaasKey(t, e, u, acct.APIKey)
	return g.client(acct.APIKey)
}

// adopt opens a simulator account with the API key u already stored.
func (g *simGateway) adopt(t *testing.T, apiKey string) *asaas.Client {
	t.Helper()
	_, err := g.sim.AddAccount(asaassim.Account{Name: "Conta adotada", APIKey: apiKey})
	require.NoError(t, err)
	return g.client(apiKey)
}

func (g *simGateway) client(apiKey string) *asaas.Client {
	return asaas.New(asaas.Options{BaseURL: g.url, APIKey: apiKey})
}

func storeAsaasKey(t *testing.T, e *apiEnv, u tenantUser, apiKey string) {
	t.Helper()
	sealed, err := secret.Seal(testSecretKey, []byte(apiKey), u.AccountID[:])
	require.NoError(t, err)
	_, err = dbgen.New(e.pool).UpsertAsaasSettings(context.Background(), dbgen.UpsertAsaasSettingsParams{
		AccountID: u.AccountID, ApiKeyCiphertext: sealed, ApiKeyLast4: apiKey[len(apiKey)-4:], Environment: "sandbox", UpdatedBy: u.UserID})
	require.NoError(t, err)
}

// activeContract creates, through the API, a client and a draft contract of n
// installments of value each (due monthly from 2030-01-10), and activates it as the
// contract workflow's first activity would.
func (e *apiEnv) activeContract(t *testing.T, u tenantUser, billingType string, n int, value string) uuid.UUID {
	t.Helper()
	payee := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/payees", map[string]any{"name": "Casa", "person_type": "person", "cpf_cnpj": "52998224725"})
	client := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/clients", map[string]any{"name": "Cliente Pix", "cpf_cnpj": "24971563792"})
	total := dec(value).Mul(decimal.NewFromInt(int64(n)))
	c := e.must(t, http.StatusCreated, u.Token, "POST", "/v1/contracts", map[string]any{
		"client_id": client["id"], "billing_type": billingType, "total_amount": formatMoney(total), "installment_count": n,
		"first_due_date": "2030-01-10", "split_rules": []any{map[string]any{"kind": "remainder", "payee_id": payee["id"]}},
	})
	id := mustUUID(t, c["id"].(string))
	workflowID := "contract/" + id.String()
	_, err := dbgen.New(e.pool).ActivateDraftContract(context.Background(), dbgen.ActivateDraftContractParams{
		AccountID: u.AccountID, ID: id, WorkflowID: &workflowID})
	require.NoError(t, err)
	return id
}

// issueCharge creates the installment's charge in the simulator (billingType) and
// stores it as the contract workflow does; it returns the Asaas payment.
func (e *apiEnv) issueCharge(t *testing.T, cl *asaas.Client, accountID, contractID uuid.UUID, number int, billingType string) asaas.Payment {
	t.Helper()
	ctx := context.Background()
	q := dbgen.New(e.pool)
	inst, err := q.GetInstallmentByNumber(ctx, dbgen.GetInstallmentByNumberParams{AccountID: accountID, ContractID: contractID, Number: int32(number)})
	require.NoError(t, err)
	customer, err := cl.CreateCustomer(ctx, asaas.CustomerRequest{Name: "Cliente Pix", CpfCnpj: "24971563792"})
	require.NoError(t, err)
	ref := domain.ChargeReference(contractID.String(), number)
	p, err := cl.CreatePayment(ctx, asaas.PaymentRequest{Customer: customer.ID, BillingType: billingType,
		Value: asaas.NewNumber(inst.Value), DueDate: asaas.DateOf(inst.DueDate), ExternalReference: ref})
	require.NoError(t, err)
	e.storeCharge(t, accountID, contractID, inst, p.ID, billingType, p.Status, p.InvoiceURL, p.BankSlipURL)
	return p
}

func (e *apiEnv) storeCharge(t *testing.T, accountID, contractID uuid.UUID, inst dbgen.Installment, asaasID, billingType, status, invoiceURL string, bankSlipURL *string) {
	t.Helper()
	ctx := context.Background()
	q := dbgen.New(e.pool)
	_, err := q.InsertCharge(ctx, dbgen.InsertChargeParams{
		AccountID: accountID, ContractID: contractID, InstallmentID: inst.ID, AsaasPaymentID: asaasID,
		ExternalReference: domain.ChargeReference(contractID.String(), int(inst.Number)), BillingType: billingType,
		Status: status, Value: inst.Value, DueDate: inst.DueDate, InvoiceUrl: &invoiceURL, BankSlipUrl: bankSlipURL,
	})
	require.NoError(t, err)
	_, err = q.OpenInstallment(ctx, dbgen.OpenInstallmentParams{AccountID: accountID, ID: inst.ID})
	require.NoError(t, err)
}

func (e *apiEnv) installment(t *testing.T, accountID, contractID uuid.UUID, number int) dbgen.Installment {
	t.Helper()
	inst, err := dbgen.New(e.pool).GetInstallmentByNumber(context.Background(), dbgen.GetInstallmentByNumberParams{
		AccountID: accountID, ContractID: contractID, Number: int32(number)})
	require.NoError(t, err)
	return inst
}

// at is a fixed instant, minutes after a base, for rows whose order a test checks.
func at(minutes int) time.Time {
	return time.Date(2026, 7, 24, 12, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
}
