package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"billing/db/dbgen"
	"billing/domain"
	"billing/secret"
	"billing/tenant"
	"billing/testenv"
	"billing/webhooks"
	"billing/workflows"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
)

// benchPaymentBody is a PAYMENT_CREATED delivery shaped like the simulator's
// (and Asaas's): every field of the payment, a split to a wallet.
func benchPaymentBody(id string, contract uuid.UUID, n int) []byte {
	return []byte(fmt.Sprintf(`{"id":%q,"event":"PAYMENT_CREATED","dateCreated":"2026-07-20 10:00:00",`+
		`"account":{"id":"6a3c5b1e-3f0c-4c1e-9c55-2d0c8e1f4a10","ownerId":null},"payment":{"object":"payment",`+
		`"id":"pay_%s","dateCreated":"2026-07-20","customer":"cus_000005219613","checkoutSession":null,"paymentLink":null,`+
		`"value":100.00,"netValue":98.01,"originalValue":null,"interestValue":null,"description":"Parcela %d de 12 - Contrato",`+
		`"billingType":"PIX","pixTransaction":null,"status":"PENDING","dueDate":"2026-08-10","originalDueDate":"2026-08-10",`+
		`"paymentDate":null,"clientPaymentDate":null,"installmentNumber":null,"invoiceUrl":"https://sandbox.asaas.com/i/%s",`+
		`"invoiceNumber":"07151923","externalReference":%q,"deleted":false,"anticipated":false,"anticipable":false,`+
		`"creditDate":null,"estimatedCreditDate":null,"transactionReceiptUrl":null,"nossoNumero":null,"bankSlipUrl":null,`+
		`"lastInvoiceViewedDate":null,"lastBankSlipViewedDate":null,"discount":{"value":0,"limitDate":null,"dueDateLimitDays":0,`+
		`"type":"FIXED"},"fine":{"value":2,"type":"PERCENTAGE"},"interest":{"value":1,"type":"PERCENTAGE"},"split":[{"id":`+
		`"c5a2c6e4-0b8e-4f0e-bd5b-6a1d0d2a9f11","walletId":"0b3c1f9e-5d2a-4c7b-8e1f-2a3b4c5d6e7f","fixedValue":null,`+
		`"percentualValue":10,"totalValue":9.8,"cancellationReason":null,"status":"PENDING","externalReference":null,`+
		`"description":null}],"postalService":false,"escrow":null,"refunds":null}}`,
		id, id, n, id, domain.ChargeReference(contract.String(), n)))
}

// BenchmarkWebhookAcceptance: deliveries accepted by the handler from 32
// senders, each stored and signalled to its contract (64 running workflows
// nobody polls, as the bench's bare-signal baseline), the background signals
// included. Run with -cpuprofile to see where the API process spends it:
//
//	TEMPORAL_CLI_PATH=$PWD/bin/temporal go test ./api -run '^$' -bench WebhookAcceptance -benchtime 3000x -cpuprofile /tmp/accept.pprof
func BenchmarkWebhookAcceptance(b *testing.B) {
	ctx := context.Background()
	pool := testenv.Postgres(b)
	tc := testenv.Temporal(b)
	p, err := tenant.CreateAccount(ctx, pool, "Bench", "ops@bench.test", "Ops", true)
	if err != nil {
		b.Fatal(err)
	}
	token := "bench-webhook-secret-0001"
	sealed, err := secret.Seal(testSecretKey, []byte("$aact_hmlg_bench"), p.Account.ID[:])
	if err != nil {
		b.Fatal(err)
	}
	if _, err := dbgen.New(pool).UpsertAsaasSettings(ctx, dbgen.UpsertAsaasSettingsParams{AccountID: p.Account.ID,
		ApiKeyCiphertext: sealed, ApiKeyLast4: "1234", Environment: "sandbox",
		WebhookSecretHash: secret.WebhookSecretHash(testSecretKey, token), UpdatedBy: p.User.ID}); err != nil {
		b.Fatal(err)
	}
	contracts := make([]uuid.UUID, 64)
	for i := range contracts {
		contracts[i] = uuid.New()
		if _, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.ContractWorkflowID(contracts[i].String()),
			TaskQueue: "nobody-polls-bench"}, "ContractWorkflow"); err != nil {
			b.Fatal(err)
		}
	}
	srv := NewServer(Deps{Pool: pool, Temporal: tc, Logger: slog.New(slog.DiscardHandler), SecretKey: testSecretKey,
		Webhooks: webhooks.Options{SignalTimeout: 10 * time.Second}})
	h := srv.Handler()
	bodies := make([][]byte, b.N)
	run := uuid.NewString()[:8]
	for i := range bodies {
		bodies[i] = benchPaymentBody(fmt.Sprintf("evt_%s_%d", run, i), contracts[i%len(contracts)], 1+i%12)
	}
	var next, failed atomic.Int64
	b.SetParallelism(16) // 32 senders on 2 cores
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			req := httptest.NewRequest(http.MethodPost, "/webhooks/asaas", bytes.NewReader(bodies[i]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(webhookTokenHeader, token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				failed.Add(1)
			}
		}
	})
	srv.webhooks.Wait() // the signals of the answered deliveries
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d deliveries not answered 200", n)
	}
}
