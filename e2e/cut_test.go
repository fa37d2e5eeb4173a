package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"billing/asaassim"
	"billing/db"
	"billing/temporalclient"
	"billing/testenv"
	"billing/webhooks"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// The API reaches Temporal and PostgreSQL through proxies the test cuts, in
// turn, while Asaas (the simulator) delivers payment webhooks; the worker keeps
// its own connections. No delivery answered 200 is lost and none is applied
// twice: with Temporal cut the handler queues the event for the relay before its
// 200, and the relay hands it over once Temporal is back; with PostgreSQL cut
// the handler answers 503 and Asaas delivers again.
func TestNoEventAcknowledgedAndLostWhenTemporalOrPostgresIsCut(t *testing.T) {
	var pgProxy, temporalProxy *testenv.Proxy
	s := newStackOf(t, stackOptions{
		sim:      asaassim.Options{RetryBase: 100 * time.Millisecond},
		webhooks: webhooks.Options{SignalTimeout: 300 * time.Millisecond, RelayEvery: 200 * time.Millisecond},
		apiPool: func(direct *pgxpool.Pool) *pgxpool.Pool {
			cfg := direct.Config().ConnConfig
			pgProxy = testenv.NewProxy(t, fmt.Sprintf("%s:%d", cfg.Host, cfg.Port))
			pool, err := db.Open(context.Background(), fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable", cfg.User, pgProxy.Addr(), cfg.Database))
			require.NoError(t, err)
			t.Cleanup(pool.Close)
			return pool
		},
		apiTemporal: func(client.Client) client.Client {
			temporalProxy = testenv.NewProxy(t, testenv.TemporalAddress(t))
			c, err := temporalclient.Dial(context.Background(), temporalProxy.Addr(), "default", slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			t.Cleanup(c.Close)
			return c
		},
	})
	s.configure()
	contract, charges := s.activeContract(6, "600.00")
	paid := func(n int) bool {
		return field(installment(s.must(http.StatusOK, "GET", "/v1/contracts/"+contract, nil), n), "status") == "paid"
	}

	// Temporal cut: the deliveries are stored and queued, answered 200 ("queued").
	temporalProxy.Cut()
	for _, c := range charges[:2] {
		require.NoError(t, s.sim.Pay(c, asaassim.PayOptions{BillingType: "PIX"}))
	}
	s.eventually("the payments' webhooks are queued for the relay", func() bool {
		return s.count(`SELECT count(*) FROM webhook_events WHERE account_id = $1 AND event_type = 'PAYMENT_RECEIVED'
			AND status = 'received' AND (relay_at <= now() OR relay_attempts > 0)`, s.account) == 2
	})
	assert.False(t, paid(1) || paid(2), "nothing reached the contract while Temporal was cut")
	temporalProxy.Restore()
	s.eventually("the relay hands them over once Temporal is back", func() bool { return paid(1) && paid(2) })

	// PostgreSQL cut: the deliveries are refused (503) and delivered again later.
	pgProxy.Cut()
	for _, c := range charges[2:4] {
		require.NoError(t, s.sim.Pay(c, asaassim.PayOptions{BillingType: "PIX"}))
	}
	s.eventually("the deliveries are refused while PostgreSQL is cut", func() bool {
		return len(attemptsAnswered(t, s, charges[2:4], http.StatusServiceUnavailable)) > 0
	})
	time.Sleep(time.Second)
	pgProxy.Restore()
	s.eventually("Asaas's retries are applied once PostgreSQL is back", func() bool { return paid(3) && paid(4) })
	s.quiet()

	// Every delivery answered 200 is stored and decided; every installment paid
	// once, its entries summing to the amount; nothing else moved.
	deliveries, err := s.sim.Deliveries(s.merchant.ID)
	require.NoError(t, err)
	for _, d := range deliveries {
		for _, a := range d.Attempts {
			if a.StatusCode == http.StatusOK {
				assert.Equal(t, 1, s.count(`SELECT count(*) FROM webhook_events WHERE account_id = $1 AND asaas_event_id = $2 AND status IN ('processed', 'ignored')`,
					s.account, d.EventID), "delivery %s %s acknowledged: stored and decided", d.Event, d.EventID)
			}
		}
	}
	assert.Zero(t, s.count(`SELECT count(*) FROM webhook_events WHERE account_id = $1 AND status NOT IN ('processed', 'ignored')`, s.account))
	assert.Equal(t, 4, s.count(`SELECT count(*) FROM payments WHERE contract_id = $1`, contract))
	assert.Equal(t, 4, s.count(`SELECT count(DISTINCT installment_id) FROM payments WHERE contract_id = $1`, contract))
	assert.Zero(t, s.count(`SELECT count(*) FROM payments p WHERE contract_id = $1 AND amount <> (SELECT sum(amount) FROM split_entries e WHERE e.payment_id = p.id)`, contract))
	assert.NotEmpty(t, attemptsAnswered(t, s, charges[:2], http.StatusOK))
	assert.False(t, paid(5) || paid(6))
}

// attemptsAnswered are the delivery attempts of the charges' PAYMENT_RECEIVED
// events that got the status code.
func attemptsAnswered(t *testing.T, s *stack, charges []string, code int) []asaassim.Attempt {
	deliveries, err := s.sim.Deliveries(s.merchant.ID)
	require.NoError(t, err)
	var out []asaassim.Attempt
	for _, d := range deliveries {
		for _, c := range charges {
			if d.PaymentID != c || d.Event != "PAYMENT_RECEIVED" {
				continue
			}
			for _, a := range d.Attempts {
				if a.StatusCode == code {
					out = append(out, a)
				}
			}
		}
	}
	return out
}
