package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBadJSONText(t *testing.T) {
	cases := []struct {
		name, body    string
		field, reason string
	}{
		{"plain text", `{"name":"Olá 👋 \u00e9 \ud83d\ude00 \\u0000 \"q\""}`, "", ""},
		{"escaped backslash before u0000 is text", `{"name":"\\u0000"}`, "", ""},
		{"NUL escape", `{"name":"a\u0000b"}`, "name", textNUL},
		{"NUL escape in upper case hex", `{"a":1,"name":"\u0000"}`, "name", textNUL},
		{"raw invalid UTF-8", "{\"name\":\"a\xffb\"}", "name", textNotUTF8},
		{"truncated UTF-8 sequence", "{\"name\":\"\xc3\"}", "name", textNotUTF8},
		{"lone high surrogate", `{"name":"\ud800x"}`, "name", textSurrogate},
		{"high surrogate at the end", `{"name":"x\uD800"}`, "name", textSurrogate},
		{"high surrogate before another high one", `{"name":"\ud800\ud800"}`, "name", textSurrogate},
		{"lone low surrogate", `{"name":"\udc00"}`, "name", textSurrogate},
		{"nested in an array of objects", `{"split_rules":[{"kind":"fee"},{"kind":"fixed","payee_id":"\u0000"}]}`, "split_rules[1].payee_id", textNUL},
		{"an array of strings", `{"entry_ids":["a","b","c\u0000"]}`, "entry_ids[2]", textNUL},
		{"after nested containers", `{"a":{"b":[1,[2,{"c":null}]],"d":true},"e":"\u0000"}`, "e", textNUL},
		{"in a member name", `{"na\u0000me":"x"}`, `na\u0000me`, textNUL},
		{"in a later member name", `{"a":1,"b":{"c":2,"d\u0000":3}}`, `b.d\u0000`, textNUL},
		{"a bare string", `"\u0000"`, "", textNUL},
		{"invalid JSON is left to the decoder", `{"name":"\u0000`, "", ""},
		{"whitespace around the tokens", " {\n \"name\" : \t\"\\u0000\" } ", "name", textNUL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			field, reason := badJSONText([]byte(tc.body))
			assert.Equal(t, tc.field, field)
			assert.Equal(t, tc.reason, reason)
		})
	}
}

func TestTextProblem(t *testing.T) {
	assert.Empty(t, textProblem("Olá 👋 ' OR '1'='1"))
	assert.Equal(t, textNUL, textProblem("a\x00b"))
	assert.Equal(t, textNotUTF8, textProblem("a\xffb"))
	assert.Equal(t, textNotUTF8, textProblem("\xed\xa0\x80")) // a surrogate encoded in UTF-8
}
