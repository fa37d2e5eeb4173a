package console

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// A real browser for the end-to-end tests: headless Chromium from the Debian
// package (.ci/run installs it when missing), driven by chromedp. It never reaches
// beyond this machine: no background networking, updates, sync or QUIC, and a
// fresh profile per test.

// chromiumPath is CHROMIUM_PATH, or chromium on PATH. Missing, the test fails and
// says how to install it: the browser test never skips.
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("the console's browser tests need Chromium: apt-get install -y chromium (.ci/run installs it), or set CHROMIUM_PATH")
	return ""
}

// document is one HTML page the browser loaded.
type document struct {
	URL    string
	Status int64
	CSP    string
}

type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string // where screenshots go

	mu         sync.Mutex
	documents  []document
	violations []string // console errors: CSP refusals, script errors
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater"),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	b := &browser{t: t, ctx: ctx, base: base, shots: os.Getenv("CONSOLE_SCREENSHOTS")}
	if b.shots == "" {
		b.shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(b.shots, 0o755))
	require.NoError(t, chromedp.Do(ctx), "start Chromium")
	require.NoError(t, chromedp.Listen(ctx, b.record))
	return b
}

// record keeps every HTML document's status and CSP, and every console error.
func (b *browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventResponseReceived:
		if e.Type == network.ResourceTypeDocument && e.Response != nil {
			csp := ""
			for k, v := range e.Response.Headers {
				if strings.EqualFold(k, "Content-Security-Policy") {
					csp = fmt.Sprint(v)
				}
			}
			b.documents = append(b.documents, document{e.Response.URL, e.Response.Status, csp})
		}
	case *log.EventEntryAdded:
		if e.Entry != nil && (e.Entry.Source == log.EntrySourceSecurity || e.Entry.Source == log.EntrySourceViolation ||
			e.Entry.Source == log.EntrySourceJavascript || strings.Contains(e.Entry.Text, "Content Security Policy")) {
			b.violations = append(b.violations, string(e.Entry.Source)+": "+e.Entry.Text)
		}
	case *runtime.EventExceptionThrown:
		if e.ExceptionDetails != nil {
			b.violations = append(b.violations, "exception: "+e.ExceptionDetails.Text)
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			b.violations = append(b.violations, "console.error")
		}
	}
}

func (b *browser) run(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, steps...))
}

// open loads a console path and returns the document's status.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	require.NoError(b.t, err, path)
	return resp.Status
}

// submit clicks a button (or link) that loads a page, and waits for it.
func (b *browser) submit(sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	require.NoError(b.t, err, "click %s", sel)
	return resp.Status
}

// set gives a field a value and fires its input and change events (as typing would,
// so the live previews see it).
func (b *browser) set(sel, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return false;
		el.value = %s; el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`,
		jsString(sel), jsString(value))
	ok := b.eval(js)
	require.Equal(b.t, true, ok, "no field %s", sel)
}

func (b *browser) eval(js string) any {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
	require.NoError(b.t, err, js)
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	require.NoError(b.t, err, sel)
	return s
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	js := fmt.Sprintf(`(() => { const el = document.querySelector(%s); return !!el && el.textContent.includes(%s); })()`, jsString(sel), jsString(want))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond)))
	require.NoError(b.t, err, "%s never showed %q; it shows %q (browser errors: %v)", sel, want, b.textNow(sel), b.errors())
}

func (b *browser) textNow(sel string) string {
	v, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%s) || {}).textContent || ""`, jsString(sel))))
	return v
}

// until reloads path until the element's text contains want (the server side
// changes: a payment arriving through the webhook).
func (b *browser) until(path, sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		b.open(path)
		if strings.Contains(b.textNow(sel), want) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: %s never showed %q; it shows %q", path, sel, want, b.textNow(sel))
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// shot writes a full-page screenshot.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644))
}

func (b *browser) docs() []document {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]document(nil), b.documents...)
}

func (b *browser) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.violations...)
}

func jsString(s string) string {
	raw, _ := json.Marshal(s)
	return string(raw)
}
