package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// ThrottleLimits bound the authentication failures (answers 401: a wrong API token
// or webhook secret) of one client: it may fail Failures times in a row, then gets
// 429 with Retry-After until it regains a try; it regains Failures tries per Window,
// evenly. Failures 0 turns throttling off.
type ThrottleLimits struct {
	Failures int
	Window   time.Duration
}

// throttle is the failure budget of every client of one group of routes. A
// credential that authenticated (a 2xx answer) from a client is remembered for that
// client, and a request carrying it is never throttled: a client that shares its
// address with an attacker (every Asaas delivery comes from a few addresses, an
// office behind one NAT) keeps working.
type throttle struct {
	limits  ThrottleLimits
	logger  *slog.Logger
	now     func() time.Time
	key     []byte // fingerprints credentials, so no usable secret is held in memory
	maxSize int

	mu      sync.Mutex
	clients map[string]*clientBudget
}

type clientBudget struct {
	tries float64 // failures still allowed (at most limits.Failures)
	at    time.Time
	good  map[[16]byte]time.Time // credentials that authenticated, until when
}

const (
	// goodCredentialTTL: how long a credential that authenticated bypasses its
	// client's throttle.
	goodCredentialTTL = 24 * time.Hour
	maxGoodPerClient  = 16
	// maxThrottledClients bounds the memory: beyond it, clients with a full budget
	// are forgotten, and if that is not enough every budget starts afresh.
	maxThrottledClients = 100_000
)

func newThrottle(limits ThrottleLimits, logger *slog.Logger) *throttle {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &throttle{limits: limits, logger: logger, now: time.Now, key: key, maxSize: maxThrottledClients,
		clients: map[string]*clientBudget{}}
}

// middleware applies the budget to a route: before the handler a client over its
// budget gets 429 (unless credential(c) is one that authenticated from it); after
// it, a 401 counts as a failure and a 2xx marks the credential good.
func (t *throttle) middleware(credential func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if t.limits.Failures <= 0 || t.limits.Window <= 0 {
			c.Next()
			return
		}
		client := clientKey(c)
		cred := t.fingerprint(credential(c))
		if wait := t.wait(client, cred); wait > 0 {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeProblem(c, newProblem(http.StatusTooManyRequests, "too-many-requests", "Too many requests",
				"Too many failed authentication attempts from this address; retry after the time in Retry-After."))
			return
		}
		c.Next()
		switch status := c.Writer.Status(); {
		case status == http.StatusUnauthorized:
			t.failed(client, cred)
		case status >= 200 && status < 300 && cred != nil:
			t.succeeded(client, *cred)
		}
	}
}

// clientKey is who a request comes from: its IP address, an IPv6 client by its /64
// (one host holds a whole /64). It is gin's ClientIP, which is the connection's
// address unless the server trusts proxies (Deps.TrustedProxies, TRUSTED_PROXIES):
// behind a load balancer or reverse proxy, list its addresses there so the client
// is read from X-Forwarded-For; otherwise every client shares the proxy's budget.
func clientKey(c *gin.Context) string {
	ip := net.ParseIP(c.ClientIP())
	if ip == nil {
		return c.ClientIP()
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}

func (t *throttle) fingerprint(credential string) *[16]byte {
	if credential == "" {
		return nil
	}
	mac := hmac.New(sha256.New, t.key)
	mac.Write([]byte(credential))
	var fp [16]byte
	copy(fp[:], mac.Sum(nil))
	return &fp
}

// budget is the client's budget refilled up to now (nil: never failed).
func (t *throttle) budget(client string, now time.Time) *clientBudget {
	b := t.clients[client]
	if b == nil {
		return nil
	}
	rate := float64(t.limits.Failures) / t.limits.Window.Seconds()
	b.tries = math.Min(float64(t.limits.Failures), b.tries+now.Sub(b.at).Seconds()*rate)
	b.at = now
	return b
}

// wait is how long the client must wait before its next try (0: go ahead).
func (t *throttle) wait(client string, cred *[16]byte) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	b := t.budget(client, now)
	if b == nil || b.tries >= 1 {
		return 0
	}
	if cred != nil && now.Before(b.good[*cred]) {
		return 0
	}
	rate := float64(t.limits.Failures) / t.limits.Window.Seconds()
	return time.Duration((1 - b.tries) / rate * float64(time.Second))
}

func (t *throttle) failed(client string, cred *[16]byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	b := t.budget(client, now)
	if b == nil {
		t.makeRoom(now)
		b = &clientBudget{tries: float64(t.limits.Failures), at: now}
		t.clients[client] = b
	}
	if cred != nil {
		delete(b.good, *cred) // it no longer authenticates (revoked, rotated)
	}
	b.tries = math.Max(0, b.tries-1)
	if b.tries < 1 {
		t.logger.Warn("client throttled after repeated authentication failures", "client", client)
	}
}

func (t *throttle) succeeded(client string, cred [16]byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	b := t.budget(client, now)
	if b == nil {
		t.makeRoom(now)
		b = &clientBudget{tries: float64(t.limits.Failures), at: now}
		t.clients[client] = b
	}
	if b.good == nil {
		b.good = map[[16]byte]time.Time{}
	}
	if _, known := b.good[cred]; !known && len(b.good) >= maxGoodPerClient {
		var oldest [16]byte
		first := true
		for fp, until := range b.good {
			if first || until.Before(b.good[oldest]) {
				oldest, first = fp, false
			}
		}
		delete(b.good, oldest)
	}
	b.good[cred] = now.Add(goodCredentialTTL)
}

// makeRoom keeps the table under maxSize before a client is added.
func (t *throttle) makeRoom(now time.Time) {
	if len(t.clients) < t.maxSize {
		return
	}
	for client, b := range t.clients {
		for fp, until := range b.good {
			if !now.Before(until) {
				delete(b.good, fp)
			}
		}
		if t.budget(client, now).tries >= float64(t.limits.Failures) && len(b.good) == 0 {
			delete(t.clients, client)
		}
	}
	if len(t.clients) >= t.maxSize {
		t.logger.Warn("throttle table full: every client's budget starts afresh", "clients", len(t.clients))
		t.clients = map[string]*clientBudget{}
	}
}

// bearerCredential is what /v1 authenticates with; webhookCredential is the webhook's.
func bearerCredential(c *gin.Context) string  { return c.GetHeader("Authorization") }
func webhookCredential(c *gin.Context) string { return c.GetHeader(webhookTokenHeader) }
