package asaas_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"billing/asaas"
)

func TestNumberJSON(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{`98.01`, `98.01`},
		{`100`, `100`},
		{`0.00`, `0`},
		{`"29.24"`, `29.24`},
		{`1e2`, `100`},
		{`326.12`, `326.12`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var n asaas.Number
			require.NoError(t, json.Unmarshal([]byte(tc.in), &n))
			out, err := json.Marshal(n)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
		})
	}
	t.Run("exact decimal, no float rounding", func(t *testing.T) {
		var n asaas.Number
		require.NoError(t, json.Unmarshal([]byte(`0.1`), &n))
		sum := n.Add(n.Decimal).Add(n.Decimal)
		assert.True(t, sum.Equal(decimal.RequireFromString("0.3")))
	})
	t.Run("null decodes as zero", func(t *testing.T) {
		n := asaas.MustNumber("5")
		require.NoError(t, json.Unmarshal([]byte(`null`), &n))
		assert.True(t, n.IsZero())
	})
	t.Run("invalid", func(t *testing.T) {
		var n asaas.Number
		assert.Error(t, json.Unmarshal([]byte(`"abc"`), &n))
		assert.Error(t, json.Unmarshal([]byte(`true`), &n))
		_, err := asaas.NumberFromString("1,50")
		assert.Error(t, err)
	})
	t.Run("the process-wide decimal setting is left alone", func(t *testing.T) {
		out, err := json.Marshal(decimal.RequireFromString("1.50"))
		require.NoError(t, err)
		assert.Equal(t, `"1.5"`, string(out), "plain decimal.Decimal still marshals quoted for the rest of the project")
	})
}

func TestDateJSON(t *testing.T) {
	cases := []struct {
		in      string
		want    asaas.Date
		wantOut string
		wantErr bool
	}{
		{in: `"2026-07-24"`, want: asaas.NewDate(2026, time.July, 24), wantOut: `"2026-07-24"`},
		{in: `null`, want: asaas.Date{}, wantOut: `null`},
		{in: `""`, want: asaas.Date{}, wantOut: `null`},
		{in: `"2021-01-01 12:54:56"`, want: asaas.NewDate(2021, time.January, 1), wantOut: `"2021-01-01"`},
		{in: `"2024-06-12T16:45:03-03:00"`, want: asaas.NewDate(2024, time.June, 12), wantOut: `"2024-06-12"`},
		{in: `"24/07/2026"`, wantErr: true},
		{in: `"2026-02-30"`, wantErr: true},
		{in: `20260724`, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var d asaas.Date
			err := json.Unmarshal([]byte(tc.in), &d)
			if tc.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, d)
			out, err := json.Marshal(d)
			require.NoError(t, err)
			assert.Equal(t, tc.wantOut, string(out))
		})
	}
}

func TestDateHelpers(t *testing.T) {
	d := asaas.NewDate(2026, time.January, 31)
	assert.Equal(t, "2026-01-31", d.String())
	assert.Equal(t, asaas.NewDate(2026, time.February, 1), d.AddDays(1))
	assert.Equal(t, asaas.NewDate(2026, time.March, 3), asaas.NewDate(2026, time.February, 31), "normalised like time.Date")
	assert.True(t, d.Before(d.AddDays(1)))
	assert.True(t, d.AddDays(1).After(d))
	assert.False(t, d.Before(d))
	assert.Equal(t, "", asaas.Date{}.String())
	assert.True(t, asaas.Date{}.IsZero())
	parsed, err := asaas.ParseDate("2027-06-24")
	require.NoError(t, err)
	assert.Equal(t, asaas.NewDate(2027, time.June, 24), parsed)
	loc := time.FixedZone("BRT", -3*3600)
	assert.Equal(t, asaas.NewDate(2026, time.July, 13), asaas.DateOf(time.Date(2026, 7, 13, 23, 30, 0, 0, loc)), "the day where the time was taken")
}

func TestOptionalStates(t *testing.T) {
	type wrapper struct {
		D asaas.Optional[asaas.Date] `json:"d,omitzero"`
	}
	cases := []struct {
		in                   string
		absent, null, hasVal bool
	}{
		{in: `{}`, absent: true},
		{in: `{"d":null}`, null: true},
		{in: `{"d":"2026-07-14"}`, hasVal: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			var w wrapper
			require.NoError(t, json.Unmarshal([]byte(tc.in), &w))
			assert.Equal(t, tc.absent, w.D.IsZero())
			assert.Equal(t, tc.null, w.D.IsNull())
			v, ok := w.D.Get()
			assert.Equal(t, tc.hasVal, ok)
			if ok {
				assert.Equal(t, asaas.NewDate(2026, 7, 14), v)
			}
			out, err := json.Marshal(w)
			require.NoError(t, err)
			assert.JSONEq(t, tc.in, string(out))
		})
	}
	t.Run("constructors", func(t *testing.T) {
		out, err := json.Marshal(wrapper{D: asaas.Some(asaas.NewDate(2026, 1, 2))})
		require.NoError(t, err)
		assert.JSONEq(t, `{"d":"2026-01-02"}`, string(out))
		out, err = json.Marshal(wrapper{D: asaas.Null[asaas.Date]()})
		require.NoError(t, err)
		assert.JSONEq(t, `{"d":null}`, string(out))
	})
	t.Run("bad value", func(t *testing.T) {
		var w wrapper
		assert.Error(t, json.Unmarshal([]byte(`{"d":"tomorrow"}`), &w))
	})
}
