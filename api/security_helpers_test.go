package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// hostile is one text value a client may send anywhere text goes.
type hostile struct {
	name    string
	raw     string // the bytes as sent in a path, a query string or a header
	literal string // the JSON string literal sent in a body (it may hold escapes raw cannot)
	// reject: the value must be refused with a 422 naming the field (NUL, which
	// PostgreSQL cannot store in text, and anything that is not valid Unicode). Other
	// values are either stored and returned exactly, or refused with a 422 naming
	// the field.
	reject bool
}

func plainText(name, v string) hostile {
	lit, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return hostile{name: name, raw: v, literal: string(lit)}
}

// hostileTexts is the payload list of the security tests: SQL-looking text, Unicode
// edge cases, NUL, invalid UTF-8 and very long strings.
var hostileTexts = []hostile{
	plainText("sql drop table", "'; DROP TABLE payees; --"),
	plainText("sql tautology", "' OR '1'='1"),
	plainText("sql dollar quoting", "$$ || (SELECT current_user) || $$"),
	plainText("sql without spaces", "x';DROP/**/TABLE/**/api_tokens;--"),
	plainText("backslashes", `C:\temp\new \' \" \\ \x00 \u0000 %00 %s`),
	plainText("emoji", "Olá 👋🏽 👩‍👩‍👧‍👦 🇧🇷 — ünïcödé"),
	plainText("right-to-left marks", "\u202eevil\u202c \u200fשלום\u200f مرحبا \u2067x\u2069"),
	plainText("combining characters", "Ac\u0327a\u0303o e\u0301\u0301\u0301 Z\u0324\u0354\u0367\u0311a\u0308"),
	plainText("zero-width characters", "a\u200bb\u200cc\u200dd\u2060e\ufefff"),
	plainText("very long", strings.Repeat("Ab1-", 25_000)),
	plainText("long in characters, short in bytes", strings.Repeat("🎉", 600)),
	// Long enough and without spaces, so that no length or format rule refuses them first.
	{name: "NUL", raw: "nul-in-the-middle-\x00-of-text", literal: `"nul-in-the-middle-\u0000-of-text"`, reject: true},
	{name: "invalid UTF-8", raw: "invalid-utf8-\xff-\xc3(-bytes", literal: "\"invalid-utf8-\xff-\xc3(-bytes\"", reject: true},
	{name: "lone surrogate", raw: "lone-surrogate-\xed\xa0\x80-here", literal: `"lone-surrogate-\ud800-here"`, reject: true},
}

// marker stands for the hostile literal while a body is built with encoding/json,
// which could not carry invalid UTF-8 or a lone surrogate itself.
const marker = "\x01hostile\x01"

// withHostile returns body as JSON with the field at path (like
// "split_rules[0].payee_id") holding h's literal, byte for byte.
func withHostile(t *testing.T, body map[string]any, path string, h hostile) []byte {
	t.Helper()
	require.True(t, setPath(body, path, marker), "the base body has no field %s", path)
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	quoted, err := json.Marshal(marker)
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(raw, quoted))
	return bytes.Replace(raw, quoted, []byte(h.literal), 1)
}

var pathPart = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?$`)

// setPath sets an existing field of a decoded JSON value; false when a part is missing.
func setPath(v any, path string, value any) bool {
	parts := strings.Split(path, ".")
	for i, part := range parts {
		m := pathPart.FindStringSubmatch(part)
		obj, ok := v.(map[string]any)
		if m == nil || !ok {
			return false
		}
		child, ok := obj[m[1]]
		if !ok {
			return false
		}
		last := i == len(parts)-1
		if m[2] == "" {
			if last {
				obj[m[1]] = value
				return true
			}
			v = child
			continue
		}
		list, ok := child.([]any)
		n, _ := strconv.Atoi(m[2])
		if !ok || n >= len(list) {
			return false
		}
		if last {
			list[n] = value
			return true
		}
		v = list[n]
	}
	return false
}

// getPath reads a field of a decoded JSON value.
func getPath(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		m := pathPart.FindStringSubmatch(part)
		obj, ok := v.(map[string]any)
		if m == nil || !ok {
			return nil, false
		}
		if v, ok = obj[m[1]]; !ok {
			return nil, false
		}
		if m[2] != "" {
			list, ok := v.([]any)
			n, _ := strconv.Atoi(m[2])
			if !ok || n >= len(list) {
				return nil, false
			}
			v = list[n]
		}
	}
	return v, true
}

// operation is one operation of the OpenAPI document.
type operation struct {
	method, pattern string
	op              map[string]any
	params          []map[string]any // path-level and operation-level, $refs resolved
}

func (o operation) route() string { return o.method + " " + o.pattern }

func openapiOperations(t *testing.T, doc map[string]any) []operation {
	t.Helper()
	var out []operation
	for pattern, rawItem := range doc["paths"].(map[string]any) {
		item := rawItem.(map[string]any)
		for _, m := range httpMethods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			o := operation{method: strings.ToUpper(m), pattern: pattern, op: op}
			for _, list := range []any{item["parameters"], op["parameters"]} {
				params, _ := list.([]any)
				for _, p := range params {
					o.params = append(o.params, resolve(doc, p.(map[string]any)))
				}
			}
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].route() < out[j].route() })
	return out
}

func (o operation) paramsIn(in string) []string {
	var names []string
	for _, p := range o.params {
		if p["in"] == in {
			names = append(names, p["name"].(string))
		}
	}
	return names
}

// requestSchema is the operation's JSON request body schema, nil when it takes none.
func (o operation) requestSchema(doc map[string]any) map[string]any {
	body, ok := o.op["requestBody"].(map[string]any)
	if !ok {
		return nil
	}
	content := body["content"].(map[string]any)["application/json"].(map[string]any)
	return resolve(doc, content["schema"].(map[string]any))
}

func resolve(doc, schema map[string]any) map[string]any {
	for {
		ref, ok := schema["$ref"].(string)
		if !ok {
			return schema
		}
		var node any = doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			node = node.(map[string]any)[part]
		}
		schema = node.(map[string]any)
	}
}

func hasType(schema map[string]any, want string) bool {
	switch t := schema["type"].(type) {
	case string:
		return t == want
	case []any:
		for _, e := range t {
			if e == want {
				return true
			}
		}
	}
	return false
}

// textFields lists the paths of every field of a request schema that takes a string
// (including the string form of amounts), items of arrays as [0].
func textFields(doc, schema map[string]any, prefix string) []string {
	schema = resolve(doc, schema)
	join := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "." + name
	}
	var out []string
	if hasType(schema, "string") {
		out = append(out, prefix)
	}
	for _, key := range []string{"oneOf", "anyOf", "allOf"} {
		alts, _ := schema[key].([]any)
		for _, alt := range alts {
			for _, f := range textFields(doc, alt.(map[string]any), prefix) {
				if !contains(out, f) {
					out = append(out, f)
				}
			}
		}
	}
	if props, ok := schema["properties"].(map[string]any); ok {
		names := make([]string, 0, len(props))
		for name := range props {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			out = append(out, textFields(doc, props[name].(map[string]any), join(name))...)
		}
	}
	if items, ok := schema["items"].(map[string]any); ok && hasType(schema, "array") {
		out = append(out, textFields(doc, items, prefix+"[0]")...)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// rowCounts counts the rows of every table of the schema in one statement, so a test
// can tell that nothing was written (and that no table was dropped).
func rowCounts(t *testing.T, e *apiEnv) map[string]int {
	t.Helper()
	ctx := context.Background()
	rows, err := e.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'goose%' ORDER BY table_name`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Err())
	require.Greater(t, len(tables), 15, "the schema's tables")
	selects := make([]string, len(tables))
	for i, name := range tables {
		selects[i] = fmt.Sprintf("(SELECT count(*) FROM %q)", name)
	}
	counts := make([]int64, len(tables))
	dest := make([]any, len(tables))
	for i := range counts {
		dest[i] = &counts[i]
	}
	require.NoError(t, e.pool.QueryRow(ctx, "SELECT "+strings.Join(selects, ", ")).Scan(dest...))
	out := make(map[string]int, len(tables))
	for i, name := range tables {
		out[name] = int(counts[i])
	}
	return out
}

// problemFields are the field names of a problem answer's errors.
func problemFields(t *testing.T, r resp) []string {
	t.Helper()
	var p struct {
		Status int          `json:"status"`
		Errors []FieldError `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &p), "a problem+json answer: %s", r.Body)
	require.Equal(t, r.Code, p.Status)
	var names []string
	for _, fe := range p.Errors {
		names = append(names, fe.Field)
	}
	return names
}
