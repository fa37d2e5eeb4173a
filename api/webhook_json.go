package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// jsonChecks is what the webhook handler asks of a body besides parsing it: the
// first string (member name or value) that cannot be stored as sent
// (badJSONText's field and reason) and the first key held twice, letter case
// aside (duplicateKey's path).
type jsonChecks struct {
	field, why string
	dup        string
}

// checkWebhookJSON reads a body that is valid JSON (the handler parsed it
// first) once and answers what badJSONText and duplicateKey would, without
// their tokenizer (an interface value per token, a map per object, every body
// read twice): a delivery's body is read on every request, at the rate Asaas
// sends them. Where it meets a syntax error before it has both answers, it asks
// the two functions, which say so their way.
func checkWebhookJSON(raw []byte) jsonChecks {
	s := jsonScanner{raw: raw}
	s.skipSpace()
	ok := s.value()
	if s.done() {
		return s.found // both answers, found before anything the syntax could change
	}
	if !ok || (s.skipSpace() && s.i != len(raw)) {
		field, why := badJSONText(raw)
		return jsonChecks{field: field, why: why, dup: duplicateKey(raw)}
	}
	return s.found
}

// jsonScanner walks a JSON document byte by byte. Every method returns false
// on a syntax error.
type jsonScanner struct {
	raw    []byte
	i      int
	frames []scanFrame // the containers being read, outermost first
	found  jsonChecks
	dupSet bool // found.dup is set (a duplicate's path is never "": it ends with its key)
}

type scanFrame struct {
	array bool
	index int    // arrays: the element being read
	key   []byte // objects: the member being read, raw (between the quotes)
}

func (s *jsonScanner) done() bool { return s.found.why != "" && s.dupSet }

func (s *jsonScanner) skipSpace() bool {
	for s.i < len(s.raw) {
		switch s.raw[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return true
		}
	}
	return true
}

func (s *jsonScanner) value() bool {
	if s.i >= len(s.raw) {
		return false
	}
	switch c := s.raw[s.i]; {
	case c == '{':
		return s.object()
	case c == '[':
		return s.array()
	case c == '"':
		start := s.i
		if !s.str() {
			return false
		}
		if s.found.why == "" {
			if why := stringProblem(s.raw[start:s.i]); why != "" {
				s.found.field, s.found.why = s.path(len(s.frames), "", false), why
			}
		}
		return true
	default:
		// A number, true, false or null: everything up to the next delimiter
		// (encoding/json validated the body before the handler asks).
		start := s.i
		for s.i < len(s.raw) {
			switch s.raw[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return s.i > start
			}
			s.i++
		}
		return s.i > start
	}
}

func (s *jsonScanner) object() bool {
	s.i++ // {
	s.frames = append(s.frames, scanFrame{})
	depth := len(s.frames)
	var keys [][]byte // decoded member names, for the duplicate check
	s.skipSpace()
	if s.i < len(s.raw) && s.raw[s.i] == '}' {
		s.i++
		s.frames = s.frames[:depth-1]
		return true
	}
	for {
		s.skipSpace()
		if s.i >= len(s.raw) || s.raw[s.i] != '"' {
			return false
		}
		start := s.i
		if !s.str() {
			return false
		}
		lit := s.raw[start:s.i]
		if s.found.why == "" {
			if why := stringProblem(lit); why != "" {
				shown := strings.ToValidUTF8(strings.ReplaceAll(string(decodeJSONString(lit)), "\x00", `\u0000`), "\uFFFD")
				s.found.field, s.found.why = s.path(depth-1, shown, true), why
			}
		}
		if !s.dupSet {
			key := decodeJSONString(lit)
			for _, k := range keys {
				if bytes.EqualFold(k, key) {
					s.found.dup, s.dupSet = s.path(depth-1, string(key), true), true
					break
				}
			}
			keys = append(keys, key)
		}
		if s.done() {
			return true // nothing more to learn; the caller validated the syntax
		}
		s.frames[depth-1].key = lit[1 : len(lit)-1]
		s.skipSpace()
		if s.i >= len(s.raw) || s.raw[s.i] != ':' {
			return false
		}
		s.i++
		s.skipSpace()
		if !s.value() {
			return false
		}
		if s.done() {
			return true
		}
		s.skipSpace()
		if s.i >= len(s.raw) {
			return false
		}
		switch s.raw[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			s.frames = s.frames[:depth-1]
			return true
		default:
			return false
		}
	}
}

func (s *jsonScanner) array() bool {
	s.i++ // [
	s.frames = append(s.frames, scanFrame{array: true})
	depth := len(s.frames)
	s.skipSpace()
	if s.i < len(s.raw) && s.raw[s.i] == ']' {
		s.i++
		s.frames = s.frames[:depth-1]
		return true
	}
	for {
		s.skipSpace()
		if !s.value() {
			return false
		}
		if s.done() {
			return true
		}
		s.skipSpace()
		if s.i >= len(s.raw) {
			return false
		}
		switch s.raw[s.i] {
		case ',':
			s.i++
			s.frames[depth-1].index++
		case ']':
			s.i++
			s.frames = s.frames[:depth-1]
			return true
		default:
			return false
		}
	}
}

// str moves past a string literal (s.i at its opening quote).
func (s *jsonScanner) str() bool {
	for s.i++; s.i < len(s.raw); s.i++ {
		switch s.raw[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return true
		}
	}
	return false
}

// path names a position as badJSONText and duplicateKey do
// ("split[0].payee_id"): the first n frames, then the member name member (a
// string value's position is path(len(frames), "", false)).
func (s *jsonScanner) path(n int, member string, isMember bool) string {
	var b strings.Builder
	for _, f := range s.frames[:n] {
		if f.array {
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.Write(decodeJSONString(append(append([]byte{'"'}, f.key...), '"')))
	}
	if isMember {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(member)
	}
	return b.String()
}

// stringProblem is literalProblem for one string literal (quotes included),
// with a fast way out for plain ASCII text without escapes.
func stringProblem(lit []byte) string {
	for _, c := range lit {
		if c == '\\' || c >= 0x80 {
			return literalProblem(lit)
		}
	}
	return ""
}

// decodeJSONString is a string literal (quotes included) as encoding/json
// decodes it: invalid UTF-8 and unpaired surrogates become U+FFFD. Plain ASCII
// without escapes is the literal itself.
func decodeJSONString(lit []byte) []byte {
	inner := lit[1 : len(lit)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return inner
	}
	var v string
	if err := json.Unmarshal(lit, &v); err != nil {
		return inner
	}
	return []byte(v)
}
