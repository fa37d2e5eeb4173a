package asaassim

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Options configures the simulator. Every field is optional.
type Options struct {
	// Now is the clock (default: time.Now in São Paulo time). Calendar dates are
	// taken in the location of the time it returns.
	Now func() time.Time
	// RetryBase is the first webhook retry delay; it doubles per consecutive
	// failure, capped at MaxRetryDelay (default 2s).
	RetryBase time.Duration
	// DuplicateRate is the share (0..1) of webhook events delivered twice.
	DuplicateRate float64
	// ReorderRate is the share (0..1) of webhook events held back and delivered
	// after the next event of the same account.
	ReorderRate float64
	// DefaultWebhookURL is the webhook of every account created without one.
	DefaultWebhookURL string
	// FailRate is the share (0..1) of /v3 calls answered 500, half of them after
	// the change was applied.
	FailRate float64
	// TimeoutRate is the share (0..1) of /v3 calls that hang for TimeoutDelay
	// before being served.
	TimeoutRate  float64
	TimeoutDelay time.Duration
	// LossRate is the share (0..1) of webhook events lost for good: recorded
	// with status "lost" and never delivered; GET /v3/payments/{id} stays the
	// truth. SetFaults and SetLossRate change it at runtime.
	LossRate float64
	// Seed makes ids, fault injection and webhook chaos deterministic; 0 picks a
	// random seed.
	Seed int64
	// Logger receives delivery and control logs (default: discard).
	Logger *slog.Logger
	// HTTPClient delivers webhooks (default: 10s timeout, like Asaas).
	HTTPClient *http.Client
	// CustomerSeqStart, when set, starts the customer id sequence of a fresh
	// simulator there instead of at the captures' numbers: one that starts
	// afresh against a database that outlived its state (make clean keeps the
	// database) must not hand out customer ids it gave before. A state loaded
	// from StateFile keeps its own sequence.
	CustomerSeqStart int64
	// StateFile, when set, keeps the whole state in this JSON file: Open loads
	// it (a missing file is a fresh start, an unreadable one an error), and it
	// is written atomically SaveDelay after changes and on Close. Kept: accounts
	// and keys, customers, charges, plans, links, transfers, bills, sequences,
	// each webhook's configuration, pause and undelivered events. Not kept:
	// delivered events and fault rates. Empty: memory only.
	StateFile string
	// SaveDelay is how long the state file waits for more changes before it is
	// written (default 500ms).
	SaveDelay time.Duration
}

// MaxRetryDelay caps the doubling webhook backoff (Asaas's own schedule is not
// published; the cap keeps a paused dev receiver from waiting hours).
const MaxRetryDelay = 5 * time.Minute

// Server is the simulator: all state in memory (and, with a StateFile, on
// disk), guarded by one mutex. Every request does O(1) work through indexes,
// except list calls, which walk the smallest matching index.
type Server struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger
	mux  *http.ServeMux

	ids    *randSource // ids, keys, numbers
	chaos  *randSource // webhook duplicate/reorder decisions
	loss   *randSource // webhook loss decisions
	faults *faultInjector

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu         sync.Mutex
	st         state
	generation int64 // starts that loaded this state before (snapshot)
	close      sync.Once

	dirty  chan struct{} // changes not yet saved; nil without a StateFile
	saveMu sync.Mutex
}

// New is Open for callers without a state file to fail on: it panics when
// Options.StateFile cannot be loaded.
func New(opts Options) *Server {
	s, err := Open(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// Open builds a simulator, loading Options.StateFile when set, and starts the
// webhook delivery of the accounts it holds; Close stops it.
func Open(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().In(saoPaulo) }
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = 2 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.SaveDelay <= 0 {
		opts.SaveDelay = defaultSaveDelay
	}
	seed := opts.Seed
	if seed == 0 {
		seed = randomSeed()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:   opts,
		now:    opts.Now,
		log:    opts.Logger,
		mux:    http.NewServeMux(),
		ids:    newRandSource(seed, 1),
		chaos:  newRandSource(seed, 2),
		loss:   newRandSource(seed, 4),
		ctx:    ctx,
		cancel: cancel,
		st:     newState(),
	}
	s.faults = newFaultInjector(newRandSource(seed, 3), Faults{
		FailRate: opts.FailRate, TimeoutRate: opts.TimeoutRate, TimeoutDelay: opts.TimeoutDelay, LossRate: opts.LossRate,
	})
	if opts.StateFile != "" {
		s.dirty = make(chan struct{}, 1) // before any goroutine can touch it
	}
	restored, err := s.load()
	if err != nil {
		cancel()
		return nil, err
	}
	if !restored && opts.CustomerSeqStart > 0 {
		s.st.customerSeq = opts.CustomerSeqStart
	}
	if restored {
		// A seeded simulator must not draw the uuids of its earlier runs again.
		s.ids = newRandSource(seed, 1+16*uint64(s.generation))
	}
	s.routes()
	for _, a := range s.st.accountOrder {
		s.startHooks(a.hooks)
	}
	if opts.StateFile != "" {
		s.startSaver()
	}
	return s, nil
}

// load restores Options.StateFile when it exists.
func (s *Server) load() (restored bool, err error) {
	if s.opts.StateFile == "" {
		return false, nil
	}
	snap, err := readStateFile(s.opts.StateFile)
	if err != nil || snap == nil {
		return false, err
	}
	if err := s.restore(snap); err != nil {
		return false, stateFileError(s.opts.StateFile, err)
	}
	s.log.Info("asaas-sim state loaded", "file", s.opts.StateFile, "accounts", len(snap.Accounts),
		"customers", len(snap.Customers), "payments", len(snap.Payments))
	return true, nil
}

// Handler serves the Asaas routes under /v3/ and the control API under /_sim/.
func (s *Server) Handler() http.Handler { return s.mux }

// Close stops webhook delivery (in-flight attempts are cancelled and stay
// queued), waits for the delivery goroutines to end and writes the state file a
// last time. The state stays readable.
func (s *Server) Close() {
	s.close.Do(func() {
		s.cancel()
		s.wg.Wait()
		if err := s.Save(); err != nil {
			s.log.Error("asaas-sim cannot write its state file", "file", s.opts.StateFile, "error", err)
		}
	})
}

func (s *Server) today() time.Time { return dayOf(s.now()) }

// writeJSON answers with an ordered JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(encodeJSON(v))
}

func writeError(w http.ResponseWriter, e *Error) { writeJSON(w, e.Status, e.body()) }

// apiHandler serves one Asaas route for an authenticated account.
type apiHandler func(a *account, r *http.Request) (any, *Error)

// api wraps a route with fault injection and access_token authentication.
func (s *Server) api(h apiHandler) http.Handler {
	return s.faults.wrap(s.ctx, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := s.authenticate(r.Header.Get("access_token"))
		if a == nil {
			writeError(w, errUnauthorized)
			return
		}
		out, err := h(a, r)
		if r.Method != http.MethodGet {
			s.touch() // refused calls change nothing, but cost nothing to note
		}
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}))
}

// controlHandler serves one /_sim/ route.
type controlHandler func(r *http.Request) (any, *Error)

func (s *Server) control(h controlHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := h(r)
		if r.Method != http.MethodGet {
			s.touch()
		}
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}
