package asaas

import (
	"bytes"
	"encoding/json"
)

// Optional is a field that Asaas sometimes omits and sometimes sends as null
// (confirmedDate and creditCard exist only on card charges; checkoutSession
// is absent from older payloads). It remembers which of the three it was, so
// re-encoding gives back the same JSON. Use it with the `omitzero` tag option.
type Optional[T any] struct {
	value T
	state optionalState
}

type optionalState uint8

const (
	absent optionalState = iota
	null
	present
)

// Some is an Optional holding v.
func Some[T any](v T) Optional[T] { return Optional[T]{value: v, state: present} }

// Null is an Optional sent as JSON null.
func Null[T any]() Optional[T] { return Optional[T]{state: null} }

// Get returns the value and whether there is one (false when absent or null).
func (o Optional[T]) Get() (T, bool) { return o.value, o.state == present }

// Value returns the value, or T's zero value when absent or null.
func (o Optional[T]) Value() T { return o.value }

// IsNull reports whether the key was present with the value null.
func (o Optional[T]) IsNull() bool { return o.state == null }

// IsZero reports whether the key was absent; `omitzero` uses it to omit the key.
func (o Optional[T]) IsZero() bool { return o.state == absent }

// MarshalJSON writes the value, or null.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if o.state != present {
		return []byte("null"), nil
	}
	return json.Marshal(o.value)
}

// UnmarshalJSON records null or decodes the value. encoding/json only calls
// it when the key is present, so an absent key stays absent.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		var zero T
		o.value, o.state = zero, null
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.value, o.state = v, present
	return nil
}
