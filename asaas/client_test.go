package asaas_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/asaas"
)

const testKey = "$aact_test_key"

// recorded is one request the fake server received.
type recorded struct {
	Method, Path string
	RequestURI   string // as sent, still escaped
	Query        url.Values
	Header       http.Header
	Body         []byte
}

// recorder is an httptest server that records requests and answers each
// with the next canned response (status, body, headers).
type recorder struct {
	mu        sync.Mutex
	requests  []recorded
	responses []cannedResponse
}

type cannedResponse struct {
	status  int
	body    string
	headers map[string]string
}

func newRecorder(t *testing.T, responses ...cannedResponse) (*recorder, *httptest.Server) {
	t.Helper()
	r := &recorder{responses: responses}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests = append(r.requests, recorded{req.Method, req.URL.Path, req.RequestURI, req.URL.Query(), req.Header.Clone(), body})
		resp := cannedResponse{status: http.StatusOK, body: `{}`}
		if len(r.responses) > 0 {
			resp, r.responses = r.responses[0], r.responses[1:]
		}
		r.mu.Unlock()
		for k, v := range resp.headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.status)
		_, _ = io.WriteString(w, resp.body)
	}))
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *recorder) all() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.requests...)
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	all := r.all()
	require.NotEmpty(t, all, "no request reached the server")
	return all[len(all)-1]
}

func newClient(srv *httptest.Server) *asaas.Client {
	return asaas.New(asaas.Options{BaseURL: srv.URL, APIKey: testKey})
}

func ok(body string) cannedResponse { return cannedResponse{status: http.StatusOK, body: body} }

func TestBaseURLFor(t *testing.T) {
	cases := []struct {
		env, want string
		wantErr   bool
	}{
		{"sandbox", "https://api-sandbox.asaas.com", false},
		{"production", "https://api.asaas.com", false},
		{"", "", true},
		{"Sandbox", "", true},
		{"prod", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.env, func(t *testing.T) {
			got, err := asaas.BaseURLFor(tc.env)
			if tc.wantErr {
				require.ErrorIs(t, err, asaas.ErrInvalidRequest)
				assert.False(t, asaas.IsRetryable(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		rec, srv := newRecorder(t, ok(`{"object":"list","data":[]}`))
		require.NoError(t, newClient(srv).TestConnection(context.Background()))
		r := rec.last(t)
		assert.Equal(t, testKey, r.Header.Get("access_token"))
		assert.Equal(t, "billing/1.0", r.Header.Get("User-Agent"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Empty(t, r.Header.Get("Authorization"), "the key travels only in access_token")
	})
	t.Run("custom user agent, base URL with trailing slash", func(t *testing.T) {
		rec, srv := newRecorder(t, ok(`{}`))
		c := asaas.New(asaas.Options{BaseURL: srv.URL + "/", APIKey: "k2", UserAgent: "billing-test/2"})
		_, err := c.GetPayment(context.Background(), "pay_1")
		require.NoError(t, err)
		r := rec.last(t)
		assert.Equal(t, "k2", r.Header.Get("access_token"))
		assert.Equal(t, "billing-test/2", r.Header.Get("User-Agent"))
		assert.Equal(t, "/v3/payments/pay_1", r.Path)
	})
}

// TestOperations checks method, path, query and body of every operation.
func TestOperations(t *testing.T) {
	ctx := context.Background()
	value := asaas.MustNumber("350.00")
	cases := []struct {
		name     string
		call     func(c *asaas.Client) error
		method   string
		path     string
		query    url.Values
		body     string // JSON, compared with assertSameJSON; "" = no body
		response string
	}{
		{
			name:   "test connection",
			call:   func(c *asaas.Client) error { return c.TestConnection(ctx) },
			method: "GET", path: "/v3/customers", query: url.Values{"limit": {"1"}},
		},
		{
			name: "create customer",
			call: func(c *asaas.Client) error {
				_, err := c.CreateCustomer(ctx, asaas.CustomerRequest{Name: "Cliente Paridade", CpfCnpj: "24971563792", Email: "paridade@example.com", MobilePhone: "47996321478"})
				return err
			},
			method: "POST", path: "/v3/customers",
			body: `{"name":"Cliente Paridade","cpfCnpj":"24971563792","email":"paridade@example.com","mobilePhone":"47996321478"}`,
		},
		{
			name:   "get customer",
			call:   func(c *asaas.Client) error { _, err := c.GetCustomer(ctx, "cus_000008392496"); return err },
			method: "GET", path: "/v3/customers/cus_000008392496",
		},
		{
			name: "list customers",
			call: func(c *asaas.Client) error {
				_, err := c.ListCustomers(ctx, asaas.CustomerFilter{CpfCnpj: "24971563792", Offset: 10, Limit: 5})
				return err
			},
			method: "GET", path: "/v3/customers",
			query:    url.Values{"cpfCnpj": {"24971563792"}, "offset": {"10"}, "limit": {"5"}},
			response: `{"object":"list","hasMore":false,"data":[]}`,
		},
		{
			name: "find customer by externalReference",
			call: func(c *asaas.Client) error {
				_, _, err := c.FindCustomerByExternalReference(ctx, "client/42")
				return err
			},
			method: "GET", path: "/v3/customers",
			query:    url.Values{"externalReference": {"client/42"}, "limit": {"100"}},
			response: `{"object":"list","hasMore":false,"data":[]}`,
		},
		{
			name: "create payment with split",
			call: func(c *asaas.Client) error {
				_, err := c.CreatePayment(ctx, asaas.PaymentRequest{
					Customer: "cus_1", BillingType: asaas.BillingBoleto, Value: value,
					DueDate: asaas.NewDate(2026, 7, 24), Description: "Parcela 1 de 3",
					ExternalReference: "contract/7/installment/1",
					Split: []asaas.Split{
						{WalletID: "w1", PercentualValue: asaas.Some(asaas.MustNumber("10"))},
						{WalletID: "w2", FixedValue: asaas.Some(asaas.MustNumber("20.50"))},
					},
				})
				return err
			},
			method: "POST", path: "/v3/payments",
			body: `{"customer":"cus_1","billingType":"BOLETO","value":350,"dueDate":"2026-07-24","description":"Parcela 1 de 3",
				"externalReference":"contract/7/installment/1",
				"split":[{"walletId":"w1","percentualValue":10},{"walletId":"w2","fixedValue":20.5}]}`,
		},
		{
			name: "create payment as an installment plan",
			call: func(c *asaas.Client) error {
				total := asaas.MustNumber("350")
				_, err := c.CreatePayment(ctx, asaas.PaymentRequest{
					Customer: "cus_1", BillingType: asaas.BillingPix, DueDate: asaas.NewDate(2026, 7, 24),
					InstallmentCount: 12, TotalValue: &total,
				})
				return err
			},
			method: "POST", path: "/v3/payments",
			body: `{"customer":"cus_1","billingType":"PIX","dueDate":"2026-07-24","installmentCount":12,"totalValue":350}`,
		},
		{
			name:   "get payment",
			call:   func(c *asaas.Client) error { _, err := c.GetPayment(ctx, "pay_ibvub5tu20v9lxr7"); return err },
			method: "GET", path: "/v3/payments/pay_ibvub5tu20v9lxr7",
		},
		{
			name: "list payments with every filter",
			call: func(c *asaas.Client) error {
				_, err := c.ListPayments(ctx, asaas.PaymentFilter{
					Customer: "cus_1", ExternalReference: "contract/7/installment/1", Installment: "857d8e6a",
					Subscription: "sub_1", Status: asaas.StatusPending, BillingType: asaas.BillingBoleto, Offset: 20, Limit: 100,
				})
				return err
			},
			method: "GET", path: "/v3/payments",
			query: url.Values{
				"customer": {"cus_1"}, "externalReference": {"contract/7/installment/1"}, "installment": {"857d8e6a"},
				"subscription": {"sub_1"}, "status": {"PENDING"}, "billingType": {"BOLETO"}, "offset": {"20"}, "limit": {"100"},
			},
			response: `{"object":"list","data":[]}`,
		},
		{
			name:   "list payments without filters sends no query",
			call:   func(c *asaas.Client) error { _, err := c.ListPayments(ctx, asaas.PaymentFilter{}); return err },
			method: "GET", path: "/v3/payments", query: url.Values{},
			response: `{"object":"list","data":[]}`,
		},
		{
			name:   "delete payment",
			call:   func(c *asaas.Client) error { _, err := c.DeletePayment(ctx, "pay_1"); return err },
			method: "DELETE", path: "/v3/payments/pay_1",
			response: `{"deleted":true,"id":"pay_1"}`,
		},
		{
			name:   "restore payment",
			call:   func(c *asaas.Client) error { _, err := c.RestorePayment(ctx, "pay_1"); return err },
			method: "POST", path: "/v3/payments/pay_1/restore",
		},
		{
			name: "receive in cash",
			call: func(c *asaas.Client) error {
				_, err := c.ReceiveInCash(ctx, "pay_1", asaas.ReceiveInCashRequest{
					PaymentDate: asaas.NewDate(2026, 7, 20), Value: asaas.MustNumber("29.16"), NotifyCustomer: false,
				})
				return err
			},
			method: "POST", path: "/v3/payments/pay_1/receiveInCash",
			body: `{"paymentDate":"2026-07-20","value":29.16,"notifyCustomer":false}`,
		},
		{
			name:   "undo received in cash",
			call:   func(c *asaas.Client) error { _, err := c.UndoReceivedInCash(ctx, "pay_1"); return err },
			method: "POST", path: "/v3/payments/pay_1/undoReceivedInCash",
		},
		{
			name:   "pix qr code",
			call:   func(c *asaas.Client) error { _, err := c.PixQrCode(ctx, "pay_1"); return err },
			method: "GET", path: "/v3/payments/pay_1/pixQrCode",
		},
		{
			name:   "identification field",
			call:   func(c *asaas.Client) error { _, err := c.IdentificationField(ctx, "pay_1"); return err },
			method: "GET", path: "/v3/payments/pay_1/identificationField",
		},
		{
			name: "create installment",
			call: func(c *asaas.Client) error {
				total := asaas.MustNumber("350")
				_, err := c.CreateInstallment(ctx, asaas.InstallmentRequest{
					Customer: "cus_000008392499", BillingType: asaas.BillingBoleto, InstallmentCount: 12,
					TotalValue: &total, DueDate: asaas.NewDate(2026, 7, 24),
					PaymentExternalReference: "contract/7",
					Splits:                   []asaas.Split{{WalletID: "w1", TotalFixedValue: asaas.Some(asaas.MustNumber("35"))}},
				})
				return err
			},
			method: "POST", path: "/v3/installments",
			body: `{"customer":"cus_000008392499","billingType":"BOLETO","installmentCount":12,"totalValue":350,"dueDate":"2026-07-24",
				"paymentExternalReference":"contract/7","splits":[{"walletId":"w1","totalFixedValue":35}]}`,
		},
		{
			name: "list installment payments",
			call: func(c *asaas.Client) error {
				_, err := c.ListInstallmentPayments(ctx, "857d8e6a-f6c7-489b-b86e-8399d55405f6", asaas.PaymentFilter{Limit: 50})
				return err
			},
			method: "GET", path: "/v3/installments/857d8e6a-f6c7-489b-b86e-8399d55405f6/payments",
			query:    url.Values{"limit": {"50"}},
			response: `{"object":"list","data":[]}`,
		},
		{
			name: "create payment link",
			call: func(c *asaas.Client) error {
				v := asaas.MustNumber("50")
				_, err := c.CreatePaymentLink(ctx, asaas.PaymentLinkRequest{
					Name: "Contrato 7", BillingType: asaas.BillingUndefined, ChargeType: asaas.ChargeTypeDetached,
					Value: &v, DueDateLimitDays: 10, ExternalReference: "contract/7",
				})
				return err
			},
			method: "POST", path: "/v3/paymentLinks",
			body: `{"name":"Contrato 7","billingType":"UNDEFINED","chargeType":"DETACHED","value":50,"dueDateLimitDays":10,"externalReference":"contract/7"}`,
		},
		{
			name:   "get payment link",
			call:   func(c *asaas.Client) error { _, err := c.GetPaymentLink(ctx, "725104409743"); return err },
			method: "GET", path: "/v3/paymentLinks/725104409743",
		},
		{
			name: "transfer to a PIX key",
			call: func(c *asaas.Client) error {
				_, err := c.CreateTransfer(ctx, asaas.TransferRequest{
					Value: asaas.MustNumber("120.35"), PixAddressKey: "payee@example.com", PixAddressKeyType: asaas.PixKeyEmail,
				})
				return err
			},
			method: "POST", path: "/v3/transfers",
			body: `{"value":120.35,"pixAddressKey":"payee@example.com","pixAddressKeyType":"EMAIL"}`,
		},
		{
			name: "transfer to a bank account",
			call: func(c *asaas.Client) error {
				_, err := c.CreateTransfer(ctx, asaas.TransferRequest{
					Value: asaas.MustNumber("99.99"),
					BankAccount: &asaas.BankAccount{
						Bank: asaas.Bank{Code: "341"}, AccountName: "Conta principal", OwnerName: "Fulano",
						CpfCnpj: "24971563792", Agency: "1234", Account: "56789", AccountDigit: "0",
						BankAccountType: asaas.BankAccountChecking,
					},
				})
				return err
			},
			method: "POST", path: "/v3/transfers",
			body: `{"value":99.99,"bankAccount":{"bank":{"code":"341"},"accountName":"Conta principal","ownerName":"Fulano",
				"cpfCnpj":"24971563792","agency":"1234","account":"56789","accountDigit":"0","bankAccountType":"CONTA_CORRENTE"}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := tc.response
			if resp == "" {
				resp = `{}`
			}
			rec, srv := newRecorder(t, ok(resp))
			require.NoError(t, tc.call(newClient(srv)))
			reqs := rec.all()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.path, r.Path)
			if tc.query != nil {
				assert.Equal(t, tc.query, r.Query)
			}
			if tc.body == "" {
				assert.Empty(t, r.Body)
			} else {
				assertSameJSON(t, []byte(tc.body), r.Body)
				assert.NotContains(t, string(r.Body), `"350.00"`, "money is never a string")
			}
		})
	}
}

func TestMoneyIsSentAsJSONNumbers(t *testing.T) {
	rec, srv := newRecorder(t, ok(`{}`))
	_, err := newClient(srv).CreatePayment(context.Background(), asaas.PaymentRequest{
		Customer: "cus_1", BillingType: asaas.BillingPix, Value: asaas.MustNumber("98.01"), DueDate: asaas.NewDate(2026, 7, 19),
		Split: []asaas.Split{{WalletID: "w", FixedValue: asaas.Some(asaas.MustNumber("0.10"))}},
	})
	require.NoError(t, err)
	body := string(rec.last(t).Body)
	assert.Contains(t, body, `"value":98.01`)
	assert.Contains(t, body, `"fixedValue":0.1`)
	assert.NotContains(t, body, `"98.01"`)
}

func TestResponsesDecode(t *testing.T) {
	ctx := context.Background()
	t.Run("delete", func(t *testing.T) {
		_, srv := newRecorder(t, ok(`{"deleted":true,"id":"pay_1"}`))
		d, err := newClient(srv).DeletePayment(ctx, "pay_1")
		require.NoError(t, err)
		assert.Equal(t, asaas.Deleted{Deleted: true, ID: "pay_1"}, d)
	})
	t.Run("pix qr code", func(t *testing.T) {
		_, srv := newRecorder(t, ok(`{"encodedImage":"iVBORw0KGgo=","payload":"00020101021226","expirationDate":"2027-07-19 23:59:59","success":true}`))
		q, err := newClient(srv).PixQrCode(ctx, "pay_1")
		require.NoError(t, err)
		assert.Equal(t, asaas.PixQrCode{EncodedImage: "iVBORw0KGgo=", Payload: "00020101021226", ExpirationDate: "2027-07-19 23:59:59"}, q)
	})
	t.Run("identification field", func(t *testing.T) {
		_, srv := newRecorder(t, ok(`{"identificationField":"00190000090275928800021932978170187890000005000","nossoNumero":"6543","barCode":"00191878900000050000000002759288002193297817"}`))
		f, err := newClient(srv).IdentificationField(ctx, "pay_1")
		require.NoError(t, err)
		assert.Equal(t, "6543", f.NossoNumero)
		assert.Equal(t, "00191878900000050000000002759288002193297817", f.BarCode)
		assert.Equal(t, "00190000090275928800021932978170187890000005000", f.IdentificationField)
	})
	t.Run("captured payment through the client", func(t *testing.T) {
		c := loadCapture(t, "pix-recebido.json")
		_, srv := newRecorder(t, ok(string(c.Steps[2].Response.Body)))
		p, err := newClient(srv).GetPayment(ctx, "pay_ibvub5tu20v9lxr7")
		require.NoError(t, err)
		assert.Equal(t, "pay_ibvub5tu20v9lxr7", p.ID)
		assert.Equal(t, "98.01", p.NetValue.String())
	})
}

func TestRequestsRefusedBeforeSending(t *testing.T) {
	ctx := context.Background()
	rec, srv := newRecorder(t)
	good := newClient(srv)
	cases := []struct {
		name string
		call func() error
	}{
		{"empty payment id", func() error { _, err := good.GetPayment(ctx, ""); return err }},
		{"blank payment id", func() error { _, err := good.DeletePayment(ctx, "  "); return err }},
		{"empty customer id", func() error { _, err := good.GetCustomer(ctx, ""); return err }},
		{"empty installment id", func() error { _, err := good.ListInstallmentPayments(ctx, "", asaas.PaymentFilter{}); return err }},
		{"empty payment link id", func() error { _, err := good.GetPaymentLink(ctx, ""); return err }},
		{"ensure payment without externalReference", func() error {
			_, _, err := good.EnsurePayment(ctx, asaas.PaymentRequest{Customer: "cus_1"})
			return err
		}},
		{"ensure customer without externalReference", func() error {
			_, _, err := good.EnsureCustomer(ctx, asaas.CustomerRequest{Name: "x"})
			return err
		}},
		{"find customer without externalReference", func() error {
			_, _, err := good.FindCustomerByExternalReference(ctx, "")
			return err
		}},
		{"transfer with neither PIX key nor account", func() error {
			_, err := good.CreateTransfer(ctx, asaas.TransferRequest{Value: asaas.MustNumber("1")})
			return err
		}},
		{"transfer with both PIX key and account", func() error {
			_, err := good.CreateTransfer(ctx, asaas.TransferRequest{Value: asaas.MustNumber("1"), PixAddressKey: "k", BankAccount: &asaas.BankAccount{}})
			return err
		}},
		{"no API key", func() error { return asaas.New(asaas.Options{BaseURL: srv.URL}).TestConnection(ctx) }},
		{"no base URL", func() error { return asaas.New(asaas.Options{APIKey: testKey}).TestConnection(ctx) }},
		{"base URL without scheme", func() error {
			return asaas.New(asaas.Options{BaseURL: "api.asaas.com", APIKey: testKey}).TestConnection(ctx)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, asaas.ErrInvalidRequest)
			assert.False(t, asaas.IsRetryable(err))
		})
	}
	assert.Empty(t, rec.all(), "nothing was sent")
}

func TestPathIDsAreEscaped(t *testing.T) {
	rec, srv := newRecorder(t, ok(`{}`))
	_, err := newClient(srv).GetPayment(context.Background(), "pay_1/../../customers")
	require.NoError(t, err)
	assert.Equal(t, "/v3/payments/pay_1%2F..%2F..%2Fcustomers", rec.last(t).RequestURI, "one escaped path segment, not a traversal")
}

func TestListAllPaymentsFollowsPages(t *testing.T) {
	rec, srv := newRecorder(t,
		ok(`{"object":"list","hasMore":true,"totalCount":3,"limit":2,"offset":0,"data":[{"id":"pay_3"},{"id":"pay_2"}]}`),
		ok(`{"object":"list","hasMore":false,"totalCount":3,"limit":2,"offset":2,"data":[{"id":"pay_1"}]}`),
	)
	all, err := newClient(srv).ListAllPayments(context.Background(), asaas.PaymentFilter{Customer: "cus_1", Limit: 2})
	require.NoError(t, err)
	var ids []string
	for _, p := range all {
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"pay_3", "pay_2", "pay_1"}, ids)
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, url.Values{"customer": {"cus_1"}, "limit": {"2"}}, reqs[0].Query)
	assert.Equal(t, url.Values{"customer": {"cus_1"}, "limit": {"2"}, "offset": {"2"}}, reqs[1].Query)
}

func TestListAllStopsOnEmptyPage(t *testing.T) {
	rec, srv := newRecorder(t, ok(`{"object":"list","hasMore":true,"data":[]}`))
	all, err := newClient(srv).ListAllInstallmentPayments(context.Background(), "inst_1")
	require.NoError(t, err)
	assert.Empty(t, all)
	assert.Len(t, rec.all(), 1, "a page that says hasMore but is empty ends the listing")
}

func TestErrorsFromCapturedValidationBodies(t *testing.T) {
	c := loadCapture(t, "erros-de-validacao.json")
	require.Len(t, c.Steps, 2)
	ctx := context.Background()
	cases := []struct {
		step     int
		call     func(c *asaas.Client) error
		op, code string
		desc     string
	}{
		{0, func(c *asaas.Client) error {
			_, err := c.CreateCustomer(ctx, asaas.CustomerRequest{Name: "Inválido", CpfCnpj: "11111111111"})
			return err
		}, "create customer", "invalid_object", "O CPF/CNPJ informado é inválido."},
		{1, func(c *asaas.Client) error { _, err := c.CreatePayment(ctx, asaas.PaymentRequest{}); return err },
			"create payment", "invalid_customer", "Customer inválido ou não informado."},
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			step := c.Steps[tc.step]
			rec, srv := newRecorder(t, cannedResponse{status: step.Response.Status, body: string(step.Response.Body)})
			err := tc.call(newClient(srv))
			require.Error(t, err)
			assertSameJSON(t, step.Request.Body, rec.last(t).Body)

			var e *asaas.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, http.StatusBadRequest, e.StatusCode)
			assert.Equal(t, tc.op, e.Op)
			assert.Equal(t, []asaas.ErrorItem{{Code: tc.code, Description: tc.desc}}, e.Errors)
			assert.True(t, e.HasCode(tc.code))
			assert.False(t, e.HasCode("invalid_value"))
			assert.Equal(t, "asaas: "+tc.op+": HTTP 400: "+tc.code+": "+tc.desc, err.Error())
			assert.False(t, asaas.IsRetryable(err))
			assert.False(t, asaas.IsNotFound(err))
		})
	}
}

func TestErrorMessageListsEveryItem(t *testing.T) {
	_, srv := newRecorder(t, cannedResponse{status: 400, body: `{"errors":[{"code":"invalid_value","description":"Valor inválido."},{"code":"invalid_dueDate","description":"Data inválida."}]}`})
	_, err := newClient(srv).CreatePayment(context.Background(), asaas.PaymentRequest{Customer: "cus_1"})
	require.Error(t, err)
	assert.Equal(t, "asaas: create payment: HTTP 400: invalid_value: Valor inválido.; invalid_dueDate: Data inválida.", err.Error())
	assert.NotContains(t, err.Error(), testKey)
}

func TestIsNotFound(t *testing.T) {
	_, srv := newRecorder(t, cannedResponse{status: 404, body: `{"errors":[{"code":"not_found","description":"Cobrança não encontrada."}]}`})
	_, err := newClient(srv).GetPayment(context.Background(), "pay_missing")
	assert.True(t, asaas.IsNotFound(err))
	assert.False(t, asaas.IsRetryable(err))
	assert.False(t, asaas.IsNotFound(errors.New("404")))
	assert.False(t, asaas.IsNotFound(nil))
}

func TestWrappedErrorsStayClassified(t *testing.T) {
	_, srv := newRecorder(t, cannedResponse{status: 503, body: `upstream down`})
	_, err := newClient(srv).GetPayment(context.Background(), "pay_1")
	wrapped := errors.Join(errors.New("activity issue charge"), err)
	assert.True(t, asaas.IsRetryable(wrapped))
	var e *asaas.Error
	require.ErrorAs(t, wrapped, &e)
	assert.Equal(t, "upstream down", e.Body)
	assert.True(t, strings.Contains(e.Error(), `HTTP 503`))
}

func TestDecodeOfJSONMoneyStrings(t *testing.T) {
	// Some gateways quote decimals; Number accepts both and always sends numbers.
	var p asaas.Payment
	require.NoError(t, json.Unmarshal([]byte(`{"value":"29.24","netValue":27.25}`), &p))
	assert.Equal(t, "29.24", p.Value.String())
	out, err := json.Marshal(p.Value)
	require.NoError(t, err)
	assert.Equal(t, "29.24", string(out))
}

func TestListAllIsBounded(t *testing.T) {
	var calls int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		_, _ = io.WriteString(w, `{"object":"list","hasMore":true,"data":[{"id":"pay_x"}]}`)
	}))
	t.Cleanup(srv.Close)
	_, err := newClient(srv).ListAllPayments(context.Background(), asaas.PaymentFilter{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "narrow the filter")
	assert.False(t, asaas.IsRetryable(err))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 100, calls)
}
