package console

import (
	"bytes"
	"encoding/json"
)

// jsonText keeps a JSON value as its text (an audit event's data, a delivery's raw body).
type jsonText string

func (j *jsonText) UnmarshalJSON(b []byte) error {
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		*j = jsonText(b)
		return nil
	}
	*j = jsonText(buf.String())
	return nil
}
