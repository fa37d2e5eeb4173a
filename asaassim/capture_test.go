package asaassim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The capture replay: every request of every sandbox capture in testdata/ is
// sent to the simulator (clock pinned to the capture day), and each response is
// compared with the captured one field by field: status, key set, key order and
// values. Ids and id-derived strings are checked for their format instead, and
// ids must be used consistently (a captured id always maps to the same
// simulator id); invoiceNumber and nossoNumero must advance like the captured
// ones.

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

func TestCaptureReplay(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.Len(t, files, 5, "the five sandbox captures")
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			var c capture
			require.NoError(t, json.Unmarshal(raw, &c))
			require.NotEmpty(t, c.Steps)

			s, ts := newSim(t, Options{})
			acct := s.CreateAccount("Paridade")
			r := &replay{t: t, ids: map[string]string{}, seqs: map[string]map[string]string{}, values: map[string]string{}}
			for i, step := range c.Steps {
				req := step.Request
				path := r.substPath(req.Path)
				if len(req.Query) > 0 {
					q := url.Values{}
					for k, v := range req.Query {
						q.Set(k, r.subst(v))
					}
					path += "?" + q.Encode()
				}
				var body io.Reader
				if len(req.Body) > 0 {
					body = bytes.NewReader(r.substJSON(req.Body))
				}
				httpReq, err := http.NewRequest(req.Method, ts.URL+path, body)
				require.NoError(t, err)
				httpReq.Header.Set("access_token", acct.APIKey)
				httpReq.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(httpReq)
				require.NoError(t, err)
				got, err := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				require.NoError(t, err)

				where := fmt.Sprintf("step %d %s %s", i+1, req.Method, req.Path)
				require.Equal(t, step.Response.Status, resp.StatusCode, "%s: %s", where, got)
				want := parseOrdered(t, step.Response.Body)
				r.compare(where, "", want, parseOrdered(t, got))
				// Byte level: with ids and numbers swapped for ours, the captured
				// body (compacted) is exactly what the simulator wrote.
				var compact bytes.Buffer
				require.NoError(t, json.Compact(&compact, step.Response.Body))
				assert.Equal(t, r.replacer().Replace(compact.String()), string(got), "%s: byte-level body", where)
			}
			r.checkSequences()
		})
	}
}

type replay struct {
	t      assert.TestingT
	ids    map[string]string            // captured id -> simulator id
	seqs   map[string]map[string]string // "invoiceNumber" -> captured -> simulator
	values map[string]string            // captured format-checked value -> simulator value
}

// replacer swaps every captured id and format-checked value for the
// simulator's, in one pass (the simulator's numbers overlap the captured ones).
func (r *replay) replacer() *strings.Replacer {
	var pairs []string
	add := func(from, to string) { pairs = append(pairs, `"`+from+`"`, `"`+to+`"`) }
	for from, to := range r.ids {
		add(from, to)
	}
	for from, to := range r.values {
		add(from, to)
	}
	return strings.NewReplacer(pairs...)
}

func (r *replay) subst(s string) string {
	if v, ok := r.ids[s]; ok {
		return v
	}
	return s
}

func (r *replay) substPath(p string) string {
	parts := strings.Split(p, "/")
	for i := range parts {
		parts[i] = r.subst(parts[i])
	}
	return strings.Join(parts, "/")
}

func (r *replay) substJSON(raw json.RawMessage) []byte {
	out := string(raw)
	for from, to := range r.ids {
		out = strings.ReplaceAll(out, `"`+from+`"`, `"`+to+`"`)
	}
	return []byte(out)
}

var (
	reUUID        = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	reCustomerID  = regexp.MustCompile(`^cus_\d{12}$`)
	rePaymentID   = regexp.MustCompile(`^pay_[a-z0-9]{16}$`)
	reInvoiceURL  = regexp.MustCompile(`^https://sandbox\.asaas\.com/i/[a-z0-9]{16}$`)
	reBankSlipURL = regexp.MustCompile(`^https://sandbox\.asaas\.com/b/pdf/[a-z0-9]{16}$`)
	reReceiptURL  = regexp.MustCompile(`^https://sandbox\.asaas\.com/comprovantes/\d{16}$`)
	reEightDigits = regexp.MustCompile(`^\d{8}$`)
)

// idFormat is the format of an id-valued key, by the captured value's shape.
func idFormat(v string) *regexp.Regexp {
	switch {
	case strings.HasPrefix(v, "cus_"):
		return reCustomerID
	case strings.HasPrefix(v, "pay_"):
		return rePaymentID
	default:
		return reUUID
	}
}

// formatKeys are checked for format (and null-ness), not value.
var formatKeys = map[string]*regexp.Regexp{
	"invoiceUrl":            reInvoiceURL,
	"bankSlipUrl":           reBankSlipURL,
	"transactionReceiptUrl": reReceiptURL,
	"invoiceNumber":         reEightDigits,
	"nossoNumero":           reEightDigits,
	"creditCardToken":       reUUID,
}

var idKeys = map[string]bool{"id": true, "customer": true, "installment": true, "subscription": true}

func (r *replay) compare(where, path string, want, got *node) {
	t := r.t
	at := where + " at " + path
	if !assert.Equal(t, want.kind, got.kind, "%s: JSON type", at) {
		return
	}
	switch want.kind {
	case kindObject:
		if !assert.Equal(t, want.keys, got.keys, "%s: keys (set and order)", at) {
			return
		}
		for i, k := range want.keys {
			r.compareField(where, path+"."+k, k, want.vals[i], got.vals[i])
		}
		// invoiceUrl and bankSlipUrl are derived from the charge's own id.
		if id := got.str("id"); rePaymentID.MatchString(id) {
			assert.Equal(t, sandboxBase+"/i/"+id[4:], got.str("invoiceUrl"), "%s: invoiceUrl of %s", at, id)
			if u := got.str("bankSlipUrl"); u != "" {
				assert.Equal(t, sandboxBase+"/b/pdf/"+id[4:], u, "%s: bankSlipUrl of %s", at, id)
			}
		}
	case kindArray:
		if !assert.Len(t, got.vals, len(want.vals), "%s: array length", at) {
			return
		}
		for i := range want.vals {
			r.compare(where, fmt.Sprintf("%s[%d]", path, i), want.vals[i], got.vals[i])
		}
	case kindNumber:
		assert.True(t, decimal.RequireFromString(want.scalar).Equal(decimal.RequireFromString(got.scalar)),
			"%s: number: want %s, got %s", at, want.scalar, got.scalar)
	default:
		assert.Equal(t, want.scalar, got.scalar, "%s", at)
	}
}

func (r *replay) compareField(where, path, key string, want, got *node) {
	t := r.t
	at := where + " at " + path
	if re, ok := formatKeys[key]; ok {
		if !assert.Equal(t, want.kind, got.kind, "%s: null-ness", at) || want.kind == kindNull {
			return
		}
		assert.Regexp(t, re, got.scalar, "%s: format", at)
		if r.values != nil {
			r.values[want.scalar] = got.scalar
		}
		if key == "invoiceNumber" || key == "nossoNumero" {
			if r.seqs[key] == nil {
				r.seqs[key] = map[string]string{}
			}
			r.seqs[key][want.scalar] = got.scalar
		}
		return
	}
	if idKeys[key] && want.kind == kindString {
		if !assert.Equal(t, kindString, got.kind, "%s: id type", at) {
			return
		}
		assert.Regexp(t, idFormat(want.scalar), got.scalar, "%s: id format", at)
		if mapped, seen := r.ids[want.scalar]; seen {
			assert.Equal(t, mapped, got.scalar, "%s: captured id %s must map to one simulator id", at, want.scalar)
		} else {
			r.ids[want.scalar] = got.scalar
		}
		return
	}
	r.compare(where, path, want, got)
}

// checkSequences: the simulator's numbers advance exactly as the captured ones
// (captured n + k  <=>  simulated m + k).
func (r *replay) checkSequences() {
	for key, pairs := range r.seqs {
		var captured []string
		for c := range pairs {
			captured = append(captured, c)
		}
		sort.Strings(captured)
		base, _ := strconv.Atoi(captured[0])
		simBase, _ := strconv.Atoi(pairs[captured[0]])
		for _, c := range captured {
			cn, _ := strconv.Atoi(c)
			sn, _ := strconv.Atoi(pairs[c])
			assert.Equal(r.t, cn-base, sn-simBase, "%s %s: sequence offset", key, c)
		}
	}
}

// An ordered JSON tree: encoding/json maps lose key order, which is compared.
type nodeKind string

const (
	kindObject nodeKind = "object"
	kindArray  nodeKind = "array"
	kindString nodeKind = "string"
	kindNumber nodeKind = "number"
	kindBool   nodeKind = "bool"
	kindNull   nodeKind = "null"
)

type node struct {
	kind   nodeKind
	keys   []string
	vals   []*node
	scalar string
}

func (n *node) str(key string) string {
	for i, k := range n.keys {
		if k == key && n.vals[i].kind == kindString {
			return n.vals[i].scalar
		}
	}
	return ""
}

func parseOrdered(t *testing.T, raw []byte) *node {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := readNode(dec)
	require.NoError(t, err, "%s", raw)
	return n
}

func readNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		n := &node{kind: kindArray}
		if v == '{' {
			n.kind = kindObject
		}
		for dec.More() {
			if n.kind == kindObject {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
			}
			child, err := readNode(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, child)
		}
		_, err := dec.Token() // closing delimiter
		return n, err
	case string:
		return &node{kind: kindString, scalar: v}, nil
	case json.Number:
		return &node{kind: kindNumber, scalar: v.String()}, nil
	case bool:
		return &node{kind: kindBool, scalar: strconv.FormatBool(v)}, nil
	default:
		return &node{kind: kindNull}, nil
	}
}

// The replay's comparator must catch what it claims to: a reordered key, a
// missing key and a wrong value are all failures.
func TestCaptureComparatorCatchesDifferences(t *testing.T) {
	want := parseOrdered(t, []byte(`{"a":1,"b":"x","c":null}`))
	cases := map[string]string{
		"reordered keys": `{"b":"x","a":1,"c":null}`,
		"missing key":    `{"a":1,"b":"x"}`,
		"extra key":      `{"a":1,"b":"x","c":null,"d":2}`,
		"wrong number":   `{"a":1.5,"b":"x","c":null}`,
		"wrong string":   `{"a":1,"b":"y","c":null}`,
		"null vs value":  `{"a":1,"b":"x","c":0}`,
	}
	for name, gotJSON := range cases {
		t.Run(name, func(t *testing.T) {
			inner := &recorder{}
			r := &replay{t: inner, ids: map[string]string{}}
			r.compare("case", "", want, parseOrdered(t, []byte(gotJSON)))
			assert.True(t, inner.failed, "the comparator accepted %s", gotJSON)
		})
	}
	inner := &recorder{}
	(&replay{t: inner, ids: map[string]string{}}).compare("same", "", want, parseOrdered(t, []byte(`{"a":1.00,"b":"x","c":null}`)))
	assert.False(t, inner.failed, "equal documents must pass")
}

// recorder is an assert.TestingT that only remembers whether it failed.
type recorder struct{ failed bool }

func (r *recorder) Errorf(string, ...any) { r.failed = true }
