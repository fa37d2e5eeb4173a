package db

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestScratchCreated(t *testing.T) {
	at := time.Unix(1795000000, 0)
	cases := []struct {
		name string
		want time.Time
		ok   bool
	}{
		{name: "billing_test_1795000000_3f9a6c21d0", want: at, ok: true},
		{name: "billing_test_1795000000_", want: at, ok: true},
		{name: "billing_test_1795000000123456789", want: time.Unix(0, 1795000000123456789), ok: true}, // bench names before
		{name: "billing_test_1795000000"},                                                             // seconds without the separator: not ours
		{name: "billing_test_3f9a6c21d0e5b7a9c1d2"},                                                   // the random names of earlier versions
		{name: "billing_test_-5_aa"},
		{name: "billing_test__aa"},
		{name: "billing_bench_1795000000_aa"},             // another prefix
		{name: "billing_test_99999999999999999999999_aa"}, // overflows
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := scratchCreated(TestDatabasePrefix, tc.name)
			assert.Equal(t, tc.ok, ok)
			if tc.ok {
				assert.True(t, tc.want.Equal(got), "got %s", got)
			}
		})
	}
}

func TestScratchNameRoundTrips(t *testing.T) {
	now := time.Unix(1795000000, 999)
	name := ScratchName(BenchDatabasePrefix, now)
	assert.Regexp(t, regexp.MustCompile(`^billing_bench_1795000000_[0-9a-f]{10}$`), name)
	assert.LessOrEqual(t, len(name), 63, "PostgreSQL identifiers are at most 63 bytes")
	got, ok := scratchCreated(BenchDatabasePrefix, name)
	assert.True(t, ok)
	assert.Equal(t, now.Unix(), got.Unix())
	assert.NotEqual(t, name, ScratchName(BenchDatabasePrefix, now), "random part")
}
