package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// Text that cannot be stored as sent is refused before it reaches PostgreSQL:
// NUL (PostgreSQL's text and jsonb reject it), invalid UTF-8 and unpaired UTF-16
// surrogate escapes (encoding/json would silently turn both into U+FFFD, so the
// value stored would not be the value sent).

const (
	textNUL       = "must not contain NUL characters (\\u0000)"
	textNotUTF8   = "must be valid UTF-8 text"
	textSurrogate = "must be valid Unicode text (it holds an unpaired surrogate escape)"
)

// textProblem says why s cannot be stored as text, or "" when it can.
func textProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return textNotUTF8
	case strings.IndexByte(s, 0) >= 0:
		return textNUL
	}
	return ""
}

// badJSONText finds the first string (member name or value) of a JSON document that
// cannot be stored as sent, and returns its field path, like the handlers name fields
// ("split_rules[0].payee_id"), and the reason. It returns "", "" when every string is
// fine, and also when raw is not valid JSON (the decoder reports that better).
func badJSONText(raw []byte) (field, reason string) {
	type frame struct {
		array     bool
		index     int    // arrays: the element being read
		key       string // objects: the member being read
		expectKey bool
	}
	var stack []frame
	// path joins the positions of frames, then extra (a member name being read).
	path := func(frames []frame, extra string) string {
		var b strings.Builder
		for _, f := range frames {
			if f.array {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		if extra != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(extra)
		}
		return b.String()
	}
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].expectKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	prev := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", "" // io.EOF, or a syntax error the decoder will report
		}
		end := int(dec.InputOffset())
		segment := raw[prev:end]
		prev = end
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				stack = append(stack, frame{array: v == '[', expectKey: v == '{'})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			isKey := len(stack) > 0 && !stack[len(stack)-1].array && stack[len(stack)-1].expectKey
			if why := literalProblem(segment); why != "" {
				if isKey { // the object's own frame still holds the previous member's name
					return path(stack[:len(stack)-1], strings.ToValidUTF8(strings.ReplaceAll(v, "\x00", `\u0000`), "\uFFFD")), why
				}
				return path(stack, ""), why
			}
			if isKey {
				stack[len(stack)-1].key, stack[len(stack)-1].expectKey = v, false
			} else {
				valueDone()
			}
		default:
			valueDone()
		}
	}
}

// literalProblem checks the raw bytes of one JSON string literal (with whatever
// separators precede it): its raw bytes must be valid UTF-8, and its escapes must
// not be \u0000 or an unpaired surrogate.
func literalProblem(segment []byte) string {
	start := bytes.IndexByte(segment, '"')
	if start < 0 {
		return ""
	}
	lit := segment[start+1:]
	if !utf8.Valid(lit) {
		return textNotUTF8
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' {
			continue
		}
		i++
		if i >= len(lit) || lit[i] != 'u' {
			continue // \" \\ \/ \b \f \n \r \t
		}
		r, ok := hex4(lit, i+1)
		if !ok {
			continue
		}
		i += 4
		switch {
		case r == 0:
			return textNUL
		case r >= 0xDC00 && r <= 0xDFFF:
			return textSurrogate // a low surrogate with no high one before it
		case r >= 0xD800 && r <= 0xDBFF:
			low, ok := hex4(lit, i+3)
			if i+2 >= len(lit) || lit[i+1] != '\\' || lit[i+2] != 'u' || !ok || low < 0xDC00 || low > 0xDFFF {
				return textSurrogate
			}
			i += 6
		}
	}
	return ""
}

// hex4 reads the 4 hex digits at b[i:i+4].
func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	return rune(n), err == nil
}

// checkQuery refuses a request whose query string holds text that cannot be stored
// or compared as sent (422 naming the parameter): the list filters pass it to
// PostgreSQL, which fails on NUL.
func checkQuery(c *gin.Context) {
	query := c.Request.URL.Query()
	names := make([]string, 0, len(query))
	for name := range query {
		names = append(names, name)
	}
	sort.Strings(names)
	var f fields
	for _, name := range names {
		shown := strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", `\u0000`), "\uFFFD")
		if why := textProblem(name); why != "" {
			f.add(shown, "%s", why)
			continue
		}
		for _, v := range query[name] {
			if why := textProblem(v); why != "" {
				f.add(shown, "%s", why)
				break
			}
		}
	}
	if !f.ok() {
		writeProblem(c, Validation(f.errs...))
		return
	}
	c.Next()
}

// duplicateKey returns the path of the first object key a JSON body holds twice,
// letter case aside ("payment" and "PAYMENT" are one key to encoding/json), or ""
// when there is none (or the body is not JSON, which other checks report).
func duplicateKey(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var walk func(path string) (string, error)
	walk = func(path string) (string, error) {
		tok, err := dec.Token()
		if err != nil {
			return "", err
		}
		delim, ok := tok.(json.Delim)
		if !ok {
			return "", nil
		}
		switch delim {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				keyTok, err := dec.Token()
				if err != nil {
					return "", err
				}
				key, _ := keyTok.(string)
				child := key
				if path != "" {
					child = path + "." + key
				}
				folded := foldKey(key)
				if seen[folded] {
					return child, nil
				}
				seen[folded] = true
				if dup, err := walk(child); dup != "" || err != nil {
					return dup, err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if dup, err := walk(fmt.Sprintf("%s[%d]", path, i)); dup != "" || err != nil {
					return dup, err
				}
			}
		}
		_, err = dec.Token() // the closing delimiter
		return "", err
	}
	dup, _ := walk("")
	return dup
}

// foldKey maps every key that strings.EqualFold (and so encoding/json) takes for
// the same one to one string: each rune becomes the smallest of its case orbit.
func foldKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}
