package asaas

import (
	"bytes"
	"fmt"

	"github.com/shopspring/decimal"
)

// Number is a decimal (money or percentage) carried as a plain JSON number,
// as Asaas sends and expects it (98.01, not "98.01"). It exists because
// decimal.Decimal marshals as a quoted string unless the process-wide
// decimal.MarshalJSONWithoutQuotes is set, which would also change the
// project's own API output.
type Number struct {
	decimal.Decimal
}

// NewNumber wraps d.
func NewNumber(d decimal.Decimal) Number { return Number{Decimal: d} }

// NumberFromString parses a decimal literal such as "98.01".
func NumberFromString(s string) (Number, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Number{}, fmt.Errorf("asaas: invalid number %q: %w", s, err)
	}
	return Number{Decimal: d}, nil
}

// MustNumber is NumberFromString for literals known to be valid; it panics otherwise.
func MustNumber(s string) Number {
	n, err := NumberFromString(s)
	if err != nil {
		panic(err)
	}
	return n
}

// MarshalJSON writes the number unquoted.
func (n Number) MarshalJSON() ([]byte, error) {
	return []byte(n.Decimal.String()), nil
}

// UnmarshalJSON accepts a JSON number or a quoted decimal. null leaves zero:
// fields that Asaas sends as null are *Number or Optional[Number].
func (n *Number) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Decimal = decimal.Decimal{}
		return nil
	}
	var d decimal.Decimal
	if err := d.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("asaas: invalid number %s: %w", b, err)
	}
	n.Decimal = d
	return nil
}
