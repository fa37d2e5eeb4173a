// Package openapitest holds the API's tests to its OpenAPI document: the document
// is validated against the OpenAPI specification's own schema, and every request the
// tests send and every answer they get is checked against the document with
// libopenapi-validator (status documented, content type, body schema, headers).
//
// Only tests import it; the document itself is embedded by package api.
package openapitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi-validator/strict"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"gopkg.in/yaml.v3"
)

// Checker checks documents and HTTP exchanges against one OpenAPI document.
type Checker struct {
	spec    []byte
	model   *v3.Document
	version float32 // of OpenAPI: 3.1
	v       validator.Validator
	opts    *config.ValidationOptions
	problem *base.Schema
	mu      sync.Mutex // the validator is used from many handler goroutines
}

// New parses spec (YAML or JSON). It fails when the document cannot be built into a
// model at all; DocumentProblems says whether it is valid.
func New(spec []byte) (*Checker, error) {
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	// Formats (uuid, date, date-time) are asserted, not only annotations.
	c := &Checker{spec: spec, model: &model.Model, version: helpers.VersionToFloat(model.Model.Version)}
	c.opts = config.NewValidationOptions(config.WithFormatAssertions())
	c.v = validator.NewValidatorFromV3Model(c.model, config.WithFormatAssertions())
	c.v.SetDocument(doc)
	if c.model.Components != nil && c.model.Components.Schemas != nil {
		if p, ok := c.model.Components.Schemas.Get("Problem"); ok {
			c.problem = p.Schema()
		}
	}
	if c.problem == nil {
		return nil, fmt.Errorf("openapi: components/schemas/Problem is missing")
	}
	return c, nil
}

// DocumentProblems lists why the document is not a valid OpenAPI document: the
// validator's findings against the specification's JSON Schema (3.1 for this
// document), and YAML mapping keys without a value, which is what a comma does to
// an unquoted description in a flow mapping ({description: a, b}: the description
// ends at the comma and "b" becomes a key). Inside a schema such a stray key is an
// unknown keyword, which JSON Schema allows, so only this check catches it there.
func (c *Checker) DocumentProblems() []string {
	var out []string
	if ok, errs := c.v.ValidateDocument(); !ok {
		for _, e := range errs {
			if len(e.SchemaValidationErrors) == 0 {
				out = append(out, e.Error())
			}
			for _, s := range e.SchemaValidationErrors {
				out = append(out, fmt.Sprintf("%s (line %d): %s", s.FieldPath, s.Line, s.Reason))
			}
		}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(c.spec, &root); err != nil {
		return append(out, "not YAML: "+err.Error())
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" {
					out = append(out, fmt.Sprintf("line %d: key %q has no value (a comma in an unquoted description?)", k.Line, k.Value))
				}
			}
		}
		for _, child := range n.Content {
			walk(child)
		}
	}
	walk(&root)
	return out
}

// Exchange is one request and the answer it got.
type Exchange struct {
	Request     *http.Request // URL path, query, method and headers are read
	RequestBody []byte
	Status      int
	Header      http.Header
	Body        []byte
}

// headers every answer may carry without the document naming them on each: transport
// and framing, and the security headers every answer carries (the document's
// introduction says so once).
var transportHeaders = []string{"Content-Type", "Content-Length", "Date", "Connection", "Transfer-Encoding", "Vary",
	"Cache-Control", "X-Content-Type-Options"}

// Check lists how one exchange departs from the document (nil when it does not):
//   - the answer: its status must be documented for the operation, its content type
//     among the documented ones, its body valid against the schema (properties the
//     schema does not declare included), its documented headers valid, and any other
//     header documented; an answer with a body where none is documented is a
//     mismatch, and so is an undocumented route unless it is answered with a 404 or
//     405 problem;
//   - the request: parameters, security and body are checked; a request the
//     document refuses must be refused by the API (a 4xx answer), so tests may send
//     hostile input on purpose, but the API may not accept what the document says it
//     refuses.
func (c *Checker) Check(x Exchange) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	what := x.Request.Method + " " + x.Request.URL.RequestURI()
	var out []string
	add := func(format string, args ...any) {
		out = append(out, fmt.Sprintf("%s -> %d: ", what, x.Status)+fmt.Sprintf(format, args...))
	}

	pathItem, errs, _ := paths.FindPath(x.Request, c.model, c.opts)
	var op *v3.Operation
	if pathItem != nil && len(errs) == 0 {
		op = helpers.ExtractOperation(x.Request, pathItem)
	}
	if op == nil {
		// Not a documented operation: only "no such route" answers are right.
		if x.Status != http.StatusNotFound && x.Status != http.StatusMethodNotAllowed {
			add("the route is not in the document, yet it was answered")
			return out
		}
		if ct := mediaType(x.Header); ct != "application/problem+json" {
			add("an unknown route answered with content type %q, not application/problem+json", ct)
			return out
		}
		sv := schema_validation.NewSchemaValidator(config.WithFormatAssertions())
		if ok, verrs := sv.ValidateSchemaBytesWithVersion(c.problem, x.Body, c.version); !ok {
			add("an unknown route's answer is not a Problem: %s", describe(verrs))
		}
		return out
	}

	resp := &http.Response{StatusCode: x.Status, Header: x.Header, Body: io.NopCloser(bytes.NewReader(x.Body)), Request: x.Request}
	if ok, verrs := c.v.ValidateHttpResponse(x.Request, resp); !ok {
		add("the answer departs from the document: %s", describe(verrs))
	}
	if doc := documentedResponse(op, x.Status); doc != nil {
		for _, u := range c.undeclared(doc, x) {
			add("%s is not in the document (the schema there declares %s)", u.Path, strings.Join(u.DeclaredProperties, ", "))
		}
		if (doc.Content == nil || doc.Content.Len() == 0) && len(x.Body) > 0 {
			add("the document says this answer has no body, but it has %d bytes", len(x.Body))
		}
		for name := range x.Header {
			if slices.ContainsFunc(transportHeaders, func(h string) bool { return strings.EqualFold(h, name) }) {
				continue
			}
			if _, ok := lookupHeader(doc, name); !ok {
				add("header %s is not documented for this answer", name)
			}
		}
	}

	req := x.Request.Clone(x.Request.Context())
	req.Body = io.NopCloser(bytes.NewReader(x.RequestBody))
	req.ContentLength = int64(len(x.RequestBody))
	if ok, verrs := c.v.ValidateHttpRequest(req); !ok && (x.Status < 400 || x.Status > 499) {
		add("the document refuses this request (%s), yet the API did not refuse it", describe(verrs))
	}
	return out
}

// undeclared lists the properties of a JSON answer that its schema does not declare,
// in objects whose schema declares properties: what is documented is all there is.
// An object whose schema lists no properties is free-form by design (a webhook's raw
// body, an audit event's data, a map) and may hold anything.
func (c *Checker) undeclared(doc *v3.Response, x Exchange) []strict.UndeclaredValue {
	if doc.Content == nil || !strings.HasSuffix(mediaType(x.Header), "json") {
		return nil
	}
	mt, ok := helpers.FindMediaType(doc.Content, x.Header.Get("Content-Type"))
	if !ok || mt.Schema == nil {
		return nil
	}
	var data any
	if err := json.Unmarshal(x.Body, &data); err != nil {
		return nil // the validator has said so already
	}
	var out []strict.UndeclaredValue
	for _, u := range strict.ValidateBody(mt.Schema.Schema(), data, strict.DirectionResponse, c.opts, c.version).UndeclaredValues {
		if len(u.DeclaredProperties) > 0 {
			out = append(out, u)
		}
	}
	return out
}

func documentedResponse(op *v3.Operation, status int) *v3.Response {
	if op.Responses == nil {
		return nil
	}
	if op.Responses.Codes != nil {
		if r, ok := op.Responses.Codes.Get(strconv.Itoa(status)); ok {
			return r
		}
		if r, ok := op.Responses.Codes.Get(fmt.Sprintf("%dXX", status/100)); ok {
			return r
		}
	}
	return op.Responses.Default
}

func lookupHeader(r *v3.Response, name string) (*v3.Header, bool) {
	if r.Headers == nil {
		return nil, false
	}
	for k, h := range r.Headers.FromOldest() {
		if strings.EqualFold(k, name) {
			return h, true
		}
	}
	return nil, false
}

func mediaType(h http.Header) string {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return h.Get("Content-Type")
	}
	return mt
}

// describe flattens the validator's errors into one line each.
func describe(errs []*liberrors.ValidationError) string {
	var parts []string
	for _, e := range errs {
		s := e.Message
		if e.Reason != "" && !strings.Contains(s, e.Reason) {
			s += ": " + e.Reason
		}
		for _, f := range e.SchemaValidationErrors {
			loc := f.FieldPath
			if loc == "" {
				loc = f.KeywordLocation
			}
			s += fmt.Sprintf(" [%s: %s]", loc, f.Reason)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// Handler serves next and checks every exchange, calling report (e.g. t.Errorf) once
// per mismatch before the answer is written, so a test sees its failures before it
// goes on. report must be safe to call from other goroutines.
func (c *Checker) Handler(next http.Handler, report func(format string, args ...any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil {
			var err error
			body, err = io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		checked := r.Clone(r.Context()) // the handler may consume or change r
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for _, m := range c.Check(Exchange{Request: checked, RequestBody: body, Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}) {
			report("openapi: %s", m)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}
