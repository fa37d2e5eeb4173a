package asaas_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/asaas"
)

type capture struct {
	Scenario string `json:"scenario"`
	Steps    []struct {
		Request struct {
			Method string            `json:"method"`
			Path   string            `json:"path"`
			Query  map[string]string `json:"query"`
			Body   json.RawMessage   `json:"body"`
		} `json:"request"`
		Response struct {
			Status int             `json:"status"`
			Body   json.RawMessage `json:"body"`
		} `json:"response"`
	} `json:"steps"`
}

var captureFiles = []string{
	"boleto-com-juros-e-multa.json",
	"cartao-a-vista.json",
	"erros-de-validacao.json",
	"parcelamento-350-em-12x.json",
	"pix-recebido.json",
}

func loadCapture(t *testing.T, name string) capture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var c capture
	require.NoError(t, json.Unmarshal(b, &c))
	require.NotEmpty(t, c.Steps, name)
	return c
}

// roundTrip decodes b into a new T, re-encodes it and returns both.
func roundTrip[T any](t *testing.T, b []byte) (T, []byte) {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return v, out
}

type errorBody struct {
	Errors []asaas.ErrorItem `json:"errors"`
}

// TestCapturedResponsesRoundTrip decodes every captured response body into
// the client's types and checks that re-encoding loses nothing: same keys,
// same nulls, same numbers.
func TestCapturedResponsesRoundTrip(t *testing.T) {
	seen := map[string]int{}
	for _, file := range captureFiles {
		c := loadCapture(t, file)
		for i, step := range c.Steps {
			body := step.Response.Body
			var head struct {
				Object string `json:"object"`
			}
			require.NoError(t, json.Unmarshal(body, &head))
			kind := head.Object
			if step.Response.Status >= 400 {
				kind = "error"
			}
			seen[kind]++
			t.Run(file+"/"+step.Request.Method+" "+step.Request.Path, func(t *testing.T) {
				var out []byte
				switch kind {
				case "customer":
					_, out = roundTrip[asaas.Customer](t, body)
				case "payment":
					_, out = roundTrip[asaas.Payment](t, body)
				case "installment":
					_, out = roundTrip[asaas.Installment](t, body)
				case "list":
					require.Equal(t, "/v3/payments", step.Request.Path, "only payment lists are captured")
					_, out = roundTrip[asaas.List[asaas.Payment]](t, body)
				case "error":
					_, out = roundTrip[errorBody](t, body)
				default:
					t.Fatalf("step %d: no type for object %q: add one", i, kind)
				}
				assertSameJSON(t, body, out)
			})
		}
	}
	// Every kind of body the captures hold was exercised.
	assert.Equal(t, map[string]int{"customer": 4, "payment": 6, "installment": 1, "list": 1, "error": 2}, seen)
}

// TestCapturedRequestsRoundTrip checks that the request types can express
// exactly what was sent to the sandbox, nothing more and nothing less.
func TestCapturedRequestsRoundTrip(t *testing.T) {
	for _, file := range captureFiles {
		c := loadCapture(t, file)
		for _, step := range c.Steps {
			if step.Request.Method != "POST" {
				continue
			}
			body := step.Request.Body
			t.Run(file+"/POST "+step.Request.Path, func(t *testing.T) {
				var out []byte
				switch step.Request.Path {
				case "/v3/customers":
					_, out = roundTrip[asaas.CustomerRequest](t, body)
				case "/v3/payments":
					_, out = roundTrip[asaas.PaymentRequest](t, body)
				case "/v3/installments":
					_, out = roundTrip[asaas.InstallmentRequest](t, body)
				default:
					t.Fatalf("no request type for %s", step.Request.Path)
				}
				assertSameJSON(t, body, out)
			})
		}
	}
}

// responseOf returns the decoded response of the first step of file whose
// method and path match.
func responseOf[T any](t *testing.T, file, method, path string) T {
	t.Helper()
	for _, step := range loadCapture(t, file).Steps {
		if step.Request.Method == method && step.Request.Path == path {
			var v T
			require.NoError(t, json.Unmarshal(step.Response.Body, &v))
			return v
		}
	}
	t.Fatalf("%s: no %s %s step", file, method, path)
	panic("unreachable")
}

// TestCapturedValuesDecode checks that the decoded values mean what FACTS.md
// says they mean: money as exact decimals, null vs absent keys kept apart.
func TestCapturedValuesDecode(t *testing.T) {
	t.Run("pix: flat fee, no card-only keys", func(t *testing.T) {
		p := responseOf[asaas.Payment](t, "pix-recebido.json", "POST", "/v3/payments")
		assert.Equal(t, "98.01", p.NetValue.String())
		assert.Equal(t, "1.99", p.Value.Sub(p.NetValue.Decimal).String())
		assert.Equal(t, asaas.NewDate(2026, 7, 19), p.DueDate)
		assert.True(t, p.PaymentDate.IsZero())
		assert.True(t, p.ConfirmedDate.IsZero(), "confirmedDate is absent on PIX")
		assert.True(t, p.CreditCard.IsZero(), "creditCard is absent on PIX")
		assert.Nil(t, p.CanBePaidAfterDueDate)
		assert.True(t, p.CheckoutSession.IsNull())
		assert.Empty(t, p.Installment)
		assert.Nil(t, p.Split)
		require.NotNil(t, p.Description)
		assert.Equal(t, "Paridade Pix", *p.Description)
	})
	t.Run("card: confirmedDate and creditCard present as null", func(t *testing.T) {
		p := responseOf[asaas.Payment](t, "cartao-a-vista.json", "POST", "/v3/payments")
		assert.Equal(t, "96.52", p.NetValue.String())
		assert.True(t, p.ConfirmedDate.IsNull())
		assert.True(t, p.CreditCard.IsNull())
		assert.Nil(t, p.Description)
	})
	t.Run("boleto: fine, interest and discount objects", func(t *testing.T) {
		p := responseOf[asaas.Payment](t, "boleto-com-juros-e-multa.json", "GET", "/v3/payments/pay_pngqmn2bxuyccy7z")
		require.NotNil(t, p.CanBePaidAfterDueDate)
		assert.True(t, *p.CanBePaidAfterDueDate)
		require.NotNil(t, p.NossoNumero)
		assert.Equal(t, "12745149", *p.NossoNumero)
		require.NotNil(t, p.Discount)
		assert.Equal(t, "5", p.Discount.Value.String())
		assert.Equal(t, asaas.ValuePercentage, p.Discount.Type)
		assert.True(t, p.Discount.LimitDate.IsNull())
		require.NotNil(t, p.Fine)
		assert.Equal(t, "2", p.Fine.Value.String())
		require.NotNil(t, p.Interest)
		assert.Equal(t, asaas.ValuePercentage, p.Interest.Type)
	})
	t.Run("installment plan: last parcel takes the remainder", func(t *testing.T) {
		in := responseOf[asaas.Installment](t, "parcelamento-350-em-12x.json", "POST", "/v3/installments")
		assert.Equal(t, "350", in.Value.String())
		assert.Equal(t, "326.12", in.NetValue.String())
		assert.Equal(t, "29.24", in.PaymentValue.String())
		assert.Equal(t, 24, in.ExpirationDay)

		l := responseOf[asaas.List[asaas.Payment]](t, "parcelamento-350-em-12x.json", "GET", "/v3/payments")
		assert.Equal(t, 12, l.TotalCount)
		assert.False(t, l.HasMore)
		require.Len(t, l.Data, 12)
		sum := l.Data[0].Value.Decimal
		for _, p := range l.Data[1:] {
			sum = sum.Add(p.Value.Decimal)
			assert.Equal(t, "29.16", p.Value.String())
			assert.Equal(t, in.ID, p.Installment)
		}
		assert.Equal(t, "29.24", l.Data[0].Value.String())
		require.NotNil(t, l.Data[0].InstallmentNumber)
		assert.Equal(t, 12, *l.Data[0].InstallmentNumber, "newest (last parcel) first")
		assert.True(t, sum.Equal(in.Value.Decimal), "parcels add up to the plan's total: %s", sum)
	})
	t.Run("customer: unset fields are null", func(t *testing.T) {
		cu := responseOf[asaas.Customer](t, "pix-recebido.json", "POST", "/v3/customers")
		assert.Equal(t, "cus_000008392496", cu.ID)
		assert.Nil(t, cu.ExternalReference)
		assert.Empty(t, cu.ExternalRef())
		require.NotNil(t, cu.PersonType)
		assert.Equal(t, "FISICA", *cu.PersonType)
	})
}
