package asaas_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertSameJSON compares two JSON documents as generic values, key by key:
// a key present in one and absent in the other is a difference, null is
// only equal to null, and numbers are compared as decimals (100 == 100.00).
func assertSameJSON(t *testing.T, want, got []byte) {
	t.Helper()
	var diffs []string
	compareJSON("$", decodeGeneric(t, want), decodeGeneric(t, got), &diffs)
	sort.Strings(diffs)
	assert.Empty(t, diffs, "re-encoded JSON differs from the original:\n%s", got)
}

func decodeGeneric(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	require.NoError(t, d.Decode(&v))
	return v
}

func compareJSON(path string, want, got any, diffs *[]string) {
	add := func(format string, args ...any) {
		*diffs = append(*diffs, path+": "+fmt.Sprintf(format, args...))
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			add("want object, got %#v", got)
			return
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				add("key %q missing", k)
				continue
			}
			compareJSON(path+"."+k, wv, gv, diffs)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				add("unexpected key %q", k)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			add("want array of %d, got %#v", len(w), got)
			return
		}
		for i := range w {
			compareJSON(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], diffs)
		}
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			add("want number %s, got %#v", w, got)
			return
		}
		wd, werr := decimal.NewFromString(w.String())
		gd, gerr := decimal.NewFromString(g.String())
		if werr != nil || gerr != nil || !wd.Equal(gd) {
			add("want %s, got %s", w, g)
		}
	case nil:
		if got != nil {
			add("want null, got %#v", got)
		}
	default:
		if want != got {
			add("want %#v, got %#v", want, got)
		}
	}
}

// TestCompareJSONCatchesLoss proves the comparison fails on each kind of loss
// the round-trip tests rely on it to detect.
func TestCompareJSONCatchesLoss(t *testing.T) {
	cases := []struct {
		name      string
		want, got string
		same      bool
	}{
		{"equal numbers written differently", `{"v":100}`, `{"v":100.00}`, true},
		{"different number", `{"v":98.01}`, `{"v":98.1}`, false},
		{"null became absent", `{"a":null}`, `{}`, false},
		{"absent became null", `{}`, `{"a":null}`, false},
		{"null became zero", `{"a":null}`, `{"a":0}`, false},
		{"number became string", `{"a":1}`, `{"a":"1"}`, false},
		{"nested key lost", `{"a":{"b":[{"c":true}]}}`, `{"a":{"b":[{}]}}`, false},
		{"array shorter", `[1,2]`, `[1]`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var diffs []string
			compareJSON("$", decodeGeneric(t, []byte(tc.want)), decodeGeneric(t, []byte(tc.got)), &diffs)
			assert.Equal(t, tc.same, len(diffs) == 0, "diffs: %v", diffs)
		})
	}
}
