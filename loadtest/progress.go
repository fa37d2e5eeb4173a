package loadtest

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// progress prints timestamped lines while a run goes on.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
}

func newProgress(w io.Writer) *progress { return &progress{w: w, start: time.Now()} }

func (p *progress) say(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "[%6.1fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}

// waitUntil polls done() until it reports finished, printing its status every
// few seconds; it fails when ctx ends or check() reports a problem.
func (p *progress) waitUntil(ctx context.Context, what string, every time.Duration, done func(context.Context) (bool, string, error), check func() error) error {
	lastSay := time.Now()
	for {
		ok, status, err := done(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if ok {
			return nil
		}
		if check != nil {
			if err := check(); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
		}
		if time.Since(lastSay) > 3*time.Second {
			p.say("  %s: %s", what, status)
			lastSay = time.Now()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: gave up (%s): %w", what, status, ctx.Err())
		case <-time.After(every):
		}
	}
}
