package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzBadJSONText checks the text gate of request bodies and webhooks against
// encoding/json's own decoding: a document whose strings decode with a NUL is
// always reported, and so is one with invalid UTF-8; a report names a string
// (member name or value) that really decodes with a NUL or a replacement
// character, and says which.
func FuzzBadJSONText(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Olá 👋","rules":[{"kind":"fee","payee_id":null}],"n":1.5e3,"ok":true}`,
		`{"name":"a\u0000b"}`, `{"a":["x","\u0000"]}`, `{"k\u0000":1}`, "{\"name\":\"a\xffb\"}",
		`{"name":"\ud800"}`, `{"name":"\udc00\ud800"}`, `{"name":"\ud83d\ude00"}`, `{"name":"\\u0000"}`,
		`{"name":"\ufffd"}`, "{\"name\":\"\xef\xbf\xbd\"}", `["\u0000"]`, `"\u0000"`, `{"a":{"b":{"c":[[["\u0000"]]]}}}`,
		`{"a":"x","a":"\u0000"}`, `{"a.b":"\u0000"}`, `{`, `{"a":"\u00`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		field, why := badJSONText(body)
		if !json.Valid(body) {
			return // the decoder's syntax error answers first; nothing to compare with
		}
		strs := decodedStrings(body)
		if why == "" {
			if !utf8.Valid(body) {
				t.Fatalf("%q: invalid UTF-8 not reported", body)
			}
			for _, s := range strs {
				if strings.ContainsRune(s.value, 0) {
					t.Fatalf("%q: NUL in %s not reported", body, s.path)
				}
			}
			return
		}
		for _, s := range strs {
			if s.path != field {
				continue
			}
			switch why {
			case textNUL:
				if strings.ContainsRune(s.value, 0) {
					return
				}
			case textNotUTF8, textSurrogate:
				if strings.ContainsRune(s.value, utf8.RuneError) {
					return
				}
			}
		}
		t.Fatalf("%q: reported %q at %q, but no string there decodes that way (%+v)", body, why, field, strs)
	})
}

type decodedString struct{ path, value string }

// decodedStrings lists every member name and string value of a valid document
// with its path, in document order, as encoding/json decodes them.
func decodedStrings(body []byte) []decodedString {
	type frame struct {
		array     bool
		index     int
		key       string
		expectKey bool
	}
	var stack []frame
	// pathOf joins the frames' positions, then extra (a member name being read).
	pathOf := func(frames []frame, extra string) string {
		parts := ""
		for _, f := range frames {
			switch {
			case f.array:
				parts += "[" + strconv.Itoa(f.index) + "]"
			case parts == "":
				parts = f.key
			default:
				parts += "." + f.key
			}
		}
		switch {
		case extra == "":
		case parts == "":
			parts = extra
		default:
			parts += "." + extra
		}
		return parts
	}
	done := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].expectKey = true
			}
		}
	}
	var out []decodedString
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				stack = append(stack, frame{array: v == '[', expectKey: v == '{'})
			} else {
				stack = stack[:len(stack)-1]
				done()
			}
		case string:
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].expectKey {
				shown := strings.ToValidUTF8(strings.ReplaceAll(v, "\x00", `\u0000`), "\uFFFD")
				out = append(out, decodedString{path: pathOf(stack[:n-1], shown), value: v})
				stack[n-1].key, stack[n-1].expectKey = v, false
				continue
			}
			out = append(out, decodedString{path: pathOf(stack, ""), value: v})
			done()
		default:
			done()
		}
	}
}
