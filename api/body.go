package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
)

// maxBodyBytes caps every request body (413 beyond it).
const maxBodyBytes = 1 << 20

const bodyKey = "billing.body"

// readBody reads the whole body (at most maxBodyBytes) once, so decoding and the
// Idempotency-Key request hash see the same bytes.
func readBody(c *gin.Context) {
	if c.Request.ContentLength > maxBodyBytes {
		writeProblem(c, tooLarge())
		return
	}
	b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(c, tooLarge())
			return
		}
		writeProblem(c, badRequest("The request body could not be read."))
		return
	}
	c.Set(bodyKey, b)
	c.Next()
}

func body(c *gin.Context) []byte {
	b, _ := c.Get(bodyKey)
	raw, _ := b.([]byte)
	return raw
}

// decodeJSON decodes the request body into dst strictly: one JSON object, no unknown
// fields, no trailing data, no text that cannot be stored as sent (422 naming the
// field). An empty body decodes as {} so missing fields are reported by the handler's
// validation.
func decodeJSON(c *gin.Context, dst any) error {
	raw := bytes.TrimSpace(body(c))
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	if field, why := badJSONText(raw); why != "" {
		if field == "" {
			field = "body"
		}
		return Validation(FieldError{Field: field, Message: why})
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return badRequest("The request body must hold a single JSON object.")
	}
	return nil
}

func jsonProblem(err error) *Problem {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return Validation(FieldError{Field: "body", Message: "must be a JSON object"})
		}
		return Validation(FieldError{Field: typeErr.Field, Message: "must be " + jsonTypeName(typeErr.Type)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Validation(FieldError{Field: name, Message: "is not a known field"})
	case errors.As(err, &syntaxErr):
		return badRequest(fmt.Sprintf("The request body is not valid JSON (at byte %d).", syntaxErr.Offset))
	default:
		return badRequest("The request body is not valid JSON.")
	}
}

func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	default:
		return "of another type"
	}
}

// writeJSON writes v without HTML escaping (URLs in invoice links stay readable).
func writeJSON(c *gin.Context, status int, contentType string, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		status, contentType = http.StatusInternalServerError, "application/problem+json"
		b, _ = marshalJSON(internalError())
	}
	c.Data(status, contentType, b)
}

func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
