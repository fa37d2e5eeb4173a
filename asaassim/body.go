package asaassim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// body is a decoded JSON request object whose fields are parsed one at a time, in
// the order the handler validates them: Asaas stops at the first failing field
// and answers one error, so a struct decode (all-or-nothing) would not do.
type body map[string]json.RawMessage

const maxBody = 1 << 20

// readBody decodes a JSON object. An empty body is an empty object.
func readBody(r *http.Request) (body, *Error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, badRequest("invalid_object", "Não foi possível ler o corpo da requisição.")
	}
	if len(raw) > maxBody {
		return nil, badRequest("invalid_object", "O corpo da requisição é grande demais.")
	}
	return parseBody(raw)
}

func parseBody(raw []byte) (body, *Error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return body{}, nil
	}
	var b body
	if err := json.Unmarshal(raw, &b); err != nil || b == nil {
		// Invented text: malformed JSON was never captured.
		return nil, badRequest("invalid_object", "O corpo da requisição não é um JSON válido.")
	}
	return b, nil
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// has reports whether the field is present and not null.
func (b body) has(k string) bool { return !isNull(b[k]) }

// str returns a string field; ok is false when the field is present with another
// JSON type. Absent and null are ("", false-present).
func (b body) str(k string) (v string, present, ok bool) {
	raw := b[k]
	if isNull(raw) {
		return "", false, true
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", true, false
	}
	return v, true, true
}

// optStr returns a trimmed optional string as a pointer (nil when absent or blank).
func (b body) optStr(k string) (*string, bool) {
	v, present, ok := b.str(k)
	if !ok {
		return nil, false
	}
	v = strings.TrimSpace(v)
	if !present || v == "" {
		return nil, true
	}
	return &v, true
}

// dec parses a number given as a JSON number or a numeric string.
func (b body) dec(k string) (v decimal.Decimal, present, ok bool) {
	raw := b[k]
	if isNull(raw) {
		return decimal.Zero, false, true
	}
	d, ok := parseDecimal(raw)
	return d, true, ok
}

func parseDecimal(raw json.RawMessage) (decimal.Decimal, bool) {
	s := string(bytes.TrimSpace(raw))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return decimal.Zero, false
		}
		s = strings.TrimSpace(s)
	}
	if s == "" || len(s) > 32 || strings.ContainsAny(s, "eE") {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, false
	}
	return d, true
}

// integer parses a whole number (JSON number or numeric string).
func (b body) integer(k string) (v int, present, ok bool) {
	d, present, ok := b.dec(k)
	if !present || !ok {
		return 0, present, ok
	}
	if !d.IsInteger() || d.Abs().GreaterThan(decimal.NewFromInt(1_000_000_000)) {
		return 0, true, false
	}
	return int(d.IntPart()), true, true
}

func (b body) boolean(k string) (v, present, ok bool) {
	raw := b[k]
	if isNull(raw) {
		return false, false, true
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		// Accept "true"/"false" strings, as form-minded clients send them.
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if p, err := strconv.ParseBool(s); err == nil {
				return p, true, true
			}
		}
		return false, true, false
	}
	return v, true, true
}

// sub returns a nested object field.
func (b body) sub(k string) (v body, present, ok bool) {
	raw := b[k]
	if isNull(raw) {
		return nil, false, true
	}
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return nil, true, false
	}
	return v, true, true
}

// list returns an array-of-objects field.
func (b body) list(k string) (v []body, present, ok bool) {
	raw := b[k]
	if isNull(raw) {
		return nil, false, true
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, true, false
	}
	return v, true, true
}

// strings returns an array-of-strings field.
func (b body) strings(k string) (v []string, present, ok bool) {
	raw := b[k]
	if isNull(raw) {
		return nil, false, true
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, true, false
	}
	return v, true, true
}
