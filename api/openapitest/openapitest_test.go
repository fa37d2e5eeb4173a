package openapitest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const spec = `openapi: 3.1.0
info: {title: things, version: "1"}
paths:
  /things:
    post:
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/ThingInput"}}}
      responses:
        "201":
          description: Created.
          headers: {Idempotent-Replayed: {schema: {type: string, enum: ["true"]}}}
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
        "422": {description: Invalid., content: {application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}}
  /things/{id}:
    delete:
      parameters: [{name: id, in: path, required: true, schema: {type: string, format: uuid}}]
      responses:
        "204": {description: Gone.}
        "404": {description: "No such thing.", content: {application/problem+json: {schema: {$ref: "#/components/schemas/Problem"}}}}
components:
  schemas:
    ThingInput:
      type: object
      additionalProperties: false
      required: [name]
      properties:
        name: {type: string, maxLength: 10}
    Thing:
      type: object
      required: [id, name, meta]
      properties:
        id: {type: string, format: uuid}
        name: {type: string}
        meta: {type: object, description: Free-form.}
    Problem:
      type: object
      required: [type, title, status, detail, errors]
      properties:
        type: {type: string}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        errors: {type: array, items: {type: object}}
`

const (
	thingID = "0b9f7a52-5a37-4b0e-9d55-2f2c8d5a4f10"
	thing   = `{"id":"` + thingID + `","name":"box","meta":{"anything":[1,2]}}`
	problem = `{"type":"urn:x","title":"Invalid","status":422,"detail":"name: too long","errors":[]}`
)

func exchange(method, target, reqBody string, status int, contentType, body string, headers ...string) Exchange {
	req := httptest.NewRequest(method, target, strings.NewReader(reqBody))
	if reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	return Exchange{Request: req, RequestBody: []byte(reqBody), Status: status, Header: h, Body: []byte(body)}
}

func TestCheck(t *testing.T) {
	c, err := New([]byte(spec))
	require.NoError(t, err)
	require.Empty(t, c.DocumentProblems())

	tests := []struct {
		name     string
		x        Exchange
		mismatch string // "" when the exchange matches the document
	}{
		{"documented answer", exchange("POST", "/things", `{"name":"box"}`, 201, "application/json; charset=utf-8", thing), ""},
		{"documented header", exchange("POST", "/things", `{"name":"box"}`, 201, "application/json", thing, "Idempotent-Replayed", "true"), ""},
		{"header value outside its schema", exchange("POST", "/things", `{"name":"box"}`, 201, "application/json", thing, "Idempotent-Replayed", "yes"),
			"the answer departs from the document"},
		{"undocumented header", exchange("POST", "/things", `{"name":"box"}`, 201, "application/json", thing, "X-Debug", "1"),
			"header X-Debug is not documented"},
		{"undocumented status", exchange("POST", "/things", `{"name":"box"}`, 500, "application/problem+json", problem),
			"response code '500' does not exist"},
		{"undocumented content type", exchange("POST", "/things", `{"name":"box"}`, 201, "text/plain", "box"),
			"the answer departs from the document"},
		{"a required property missing", exchange("POST", "/things", `{"name":"box"}`, 201, "application/json", `{"id":"`+thingID+`","meta":{}}`),
			"the answer departs from the document"},
		{"a format broken", exchange("POST", "/things", `{"name":"box"}`, 201, "application/json", `{"id":"42","name":"box","meta":{}}`),
			"the answer departs from the document"},
		{"an undeclared property", exchange("POST", "/things", `{"name":"box"}`, 201, "application/json", `{"id":"`+thingID+`","name":"box","meta":{},"secret":1}`),
			"$.body.secret is not in the document"},
		{"a body where none is documented", exchange("DELETE", "/things/"+thingID, "", 204, "application/json", `{}`),
			"has no body"},
		{"no body where none is documented", exchange("DELETE", "/things/"+thingID, "", 204, "", ""), ""},
		{"a refused request refused", exchange("POST", "/things", `{"name":"far too long a name"}`, 422, "application/problem+json", problem), ""},
		{"an undeclared member refused", exchange("POST", "/things", `{"name":"box","x":1}`, 422, "application/problem+json", problem), ""},
		{"a refused request accepted", exchange("POST", "/things", `{"name":"far too long a name"}`, 201, "application/json", thing),
			"the document refuses this request"},
		{"a bad path parameter refused", exchange("DELETE", "/things/42", "", 404, "application/problem+json", problem), ""},
		{"a bad path parameter accepted", exchange("DELETE", "/things/42", "", 204, "", ""), "the document refuses this request"},
		{"an unknown route answered 404", exchange("GET", "/nothing", "", 404, "application/problem+json", problem), ""},
		{"an unknown method answered 405", exchange("PUT", "/things", "", 405, "application/problem+json", problem), ""},
		{"an unknown route answered 200", exchange("GET", "/nothing", "", 200, "application/json", `{}`), "the route is not in the document"},
		{"an unknown route answered in text", exchange("GET", "/nothing", "", 404, "text/plain", "404 page not found"), "not application/problem+json"},
		{"an unknown route answered without a problem", exchange("GET", "/nothing", "", 404, "application/problem+json", `{"type":"x"}`), "is not a Problem"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Check(tc.x)
			if tc.mismatch == "" {
				assert.Empty(t, got)
				return
			}
			require.NotEmpty(t, got)
			assert.Contains(t, strings.Join(got, "\n"), tc.mismatch)
		})
	}
}

func TestDocumentProblems(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		problem string
	}{
		{"a description cut by a comma in a parameter", func(s string) string {
			return strings.Replace(s, `{name: id, in: path,`, `{name: id, in: path, description: The id, a UUID,`, 1)
		}, "a UUID"},
		{"a description cut by a comma in a schema", func(s string) string {
			return strings.Replace(s, `meta: {type: object, description: Free-form.}`, `meta: {type: object, description: Free-form, anything.}`, 1)
		}, `key "anything." has no value`},
		{"an unknown field in an operation", func(s string) string {
			return strings.Replace(s, "    delete:\n", "    delete:\n      sumary: typo\n", 1)
		}, "sumary"},
		{"a response without a description", func(s string) string {
			return strings.Replace(s, `"204": {description: Gone.}`, `"204": {}`, 1)
		}, "description"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New([]byte(tc.edit(spec)))
			require.NoError(t, err)
			got := c.DocumentProblems()
			require.NotEmpty(t, got)
			assert.Contains(t, strings.Join(got, "\n"), tc.problem)
		})
	}
}

// TestHandler: the middleware reports what Check finds and passes the answer on
// unchanged.
func TestHandler(t *testing.T) {
	c, err := New([]byte(spec))
	require.NoError(t, err)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		if r.URL.Query().Get("lie") != "" {
			_, _ = w.Write([]byte(`{"id":"` + thingID + `"}`))
			return
		}
		_, _ = w.Write([]byte(thing))
	})
	var mu sync.Mutex
	var reports []string
	srv := httptest.NewServer(c.Handler(api, func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, fmt.Sprintf(format, args...))
	}))
	defer srv.Close()

	for _, target := range []string{"/things", "/things?lie=1"} {
		res, err := http.Post(srv.URL+target, "application/json", strings.NewReader(`{"name":"box"}`))
		require.NoError(t, err)
		_ = res.Body.Close()
		assert.Equal(t, http.StatusCreated, res.StatusCode)
		assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, reports, 1)
	assert.Contains(t, reports[0], "POST /things?lie=1 -> 201: the answer departs from the document")
}
