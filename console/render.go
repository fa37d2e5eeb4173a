package console

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/google/uuid"
)

//go:embed templates
var templateFS embed.FS

// pages are the parsed templates: each page file with the layout and partials.
type pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"brl":          brl,
	"brDate":       brDateOf,
	"brDateTime":   brDateTime,
	"amountInput":  amountInput,
	"percentInput": percentInput,
	"short":        func(id any) string { s := fmt.Sprint(id); return s[:min(8, len(s))] },
	"str": func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	},
	"pretty": func(raw json.RawMessage) string {
		var buf bytes.Buffer
		if json.Indent(&buf, raw, "", "  ") != nil {
			return string(raw)
		}
		return buf.String()
	},
	"newKey": func() string { return uuid.NewString() },
	"today":  todayBR,
	"plus":   func(a, b int) int { return a + b },
	"title":  func(s string) string { return strings.ToUpper(s[:min(1, len(s))]) + s[min(1, len(s)):] },
	"words":  func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"list":   func(items ...string) []string { return items },
	"dict":   dict,
	"lookup": lookup,
}

// lookup is names[id] for an id given as a string or a *string ("" when absent).
func lookup(names map[string]string, id any) string {
	switch v := id.(type) {
	case string:
		return names[v]
	case *string:
		if v != nil {
			return names[*v]
		}
	}
	return ""
}

// dict builds a map for a partial template: dict "Key" value "Key2" value2.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func parsePages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, file := range names {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", file)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what every page template gets.
type view struct {
	Title   string
	Nav     string // the menu entry to highlight
	Session *session
	CSRF    string
	Flash   string
	Problem *problem          // the API's answer to a form that was refused
	Fields  map[string]string // its errors, by field
	Data    any
	Refresh int // seconds: the page reloads itself (a long action in progress)
	Status  int
}

// Err is the message of one field ("" when it is fine).
func (v *view) Err(field string) string { return v.Fields[field] }

// render writes a page.
func (x *exchange) render(status int, name string, v *view) {
	v.Session, v.CSRF = x.s, x.s.CSRF
	if v.Flash == "" {
		v.Flash = flashMessages[x.r.URL.Query().Get("flash")]
	}
	if v.Fields == nil {
		v.Fields = v.Problem.fields()
	}
	x.c.write(x.w, status, name, v)
}

func (c *Console) write(w http.ResponseWriter, status int, name string, v *view) {
	t, ok := c.pages.byName[name]
	if !ok {
		c.opts.Logger.Error("console: no template", "name", name)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	v.Status = status
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		c.opts.Logger.Error("console: render", "page", name, "err", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is the page of a refusal or failure; 404 reads the same whether the id
// does not exist or belongs to another account (the API answers both alike).
func (c *Console) errorPage(w http.ResponseWriter, _ *http.Request, s *session, status int, detail string) {
	title := http.StatusText(status)
	if status == http.StatusNotFound {
		title = "Not found"
	}
	v := &view{Title: title, Session: s, Data: map[string]any{"Detail": detail}}
	if s != nil {
		v.CSRF = s.CSRF
	}
	c.write(w, status, "error", v)
}

// flashMessages are the confirmations shown after a form did its work.
var flashMessages = map[string]string{
	"settings-saved":               "Asaas settings saved.",
	"payee-created":                "Payee created.",
	"payee-saved":                  "Payee saved.",
	"payee-archived":               "Payee archived (or deleted, when nothing referenced it).",
	"client-created":               "Client created.",
	"client-saved":                 "Client saved.",
	"client-archived":              "Client archived (or deleted, when nothing referenced it).",
	"template-created":             "Template created.",
	"template-saved":               "Template saved.",
	"template-archived":            "Template archived (or deleted, when nothing referenced it).",
	"contract-created":             "Draft contract created. Check the schedule, then activate it.",
	"activated":                    "Contract activated: its workflow is issuing one charge per installment in Asaas.",
	"marked-paid":                  "Payment recorded: the installment is paid and its splits were processed.",
	"mark-paid-running":            "The payment was accepted and is still being recorded (Asaas is slow); this page shows it when done.",
	"cancelled":                    "Contract cancelled: its open charges were deleted in Asaas, last to first.",
	"cancel-running":               "The cancellation was accepted and is still running (Asaas is slow); this page shows it when done.",
	"installment-changed":          "Installment changed: its charge at Asaas now has the new due date and value.",
	"installment-changed-reissued": "Installment changed: Asaas did not take the change, so its charge was deleted and issued again.",
	"charge-reissued":              "A new charge was issued in Asaas for this installment.",
	"change-running":               "The change was accepted and is still running (Asaas is slow); this page shows it when done.",
	"payouts-recorded":             "Payout recorded: the selected entries are now paid.",
	"payout-voided":                "Payout voided: its entries are pending again.",
	"reconciliation-started":       "Reconciliation started: each contract is asking Asaas about its open installments; this page refreshes itself until it is done.",
	"token-revoked":                "Token revoked: it no longer opens the API or the console.",
	"signed-out":                   "You are signed out.",
}
