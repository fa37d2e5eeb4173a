package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var httpMethods = []string{"get", "put", "post", "patch", "delete"}

func openapiDoc(t *testing.T) map[string]any {
	t.Helper()
	raw, err := OpenAPI()
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	return doc
}

// openapiRoutes lists "METHOD /path/{param}" for every operation of the document.
func openapiRoutes(doc map[string]any) []string {
	var out []string
	for path, item := range doc["paths"].(map[string]any) {
		for _, m := range httpMethods {
			if _, ok := item.(map[string]any)[m]; ok {
				out = append(out, strings.ToUpper(m)+" "+path)
			}
		}
	}
	sort.Strings(out)
	return out
}

var ginParam = regexp.MustCompile(`:([a-zA-Z_]+)`)

func TestOpenAPIDocumentsEveryRouteAndNothingElse(t *testing.T) {
	srv := NewServer(Deps{Logger: slog.New(slog.DiscardHandler)})
	var registered []string
	for _, r := range srv.Routes() {
		registered = append(registered, r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}"))
	}
	sort.Strings(registered)
	documented := openapiRoutes(openapiDoc(t))
	assert.Empty(t, difference(registered, documented), "gin routes missing from openapi.yaml")
	assert.Empty(t, difference(documented, registered), "openapi.yaml paths without a gin route")
	assert.NotEmpty(t, registered)
}

func difference(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if !in[s] {
			out = append(out, s)
		}
	}
	return out
}

// TestOpenAPIDocumentIsValid validates openapi.yaml against the OpenAPI 3.1
// specification's schema (libopenapi-validator), plus the check for YAML keys cut
// off by a comma in an unquoted flow-mapping description.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	c, err := openapiChecker()
	require.NoError(t, err)
	assert.Empty(t, c.DocumentProblems())
	assert.Equal(t, "3.1.0", openapiDoc(t)["openapi"], "the checks assume OpenAPI 3.1")
}

func TestOpenAPIDocumentIsConsistent(t *testing.T) {
	doc := openapiDoc(t)
	assert.Regexp(t, `^3\.`, doc["openapi"])

	// Every $ref points at something that exists.
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if s, ok := e.(string); ok && k == "$ref" {
					refs = append(refs, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	require.NotEmpty(t, refs)
	for _, ref := range refs {
		require.True(t, strings.HasPrefix(ref, "#/"), ref)
		var node any = doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, ok := node.(map[string]any)
			require.True(t, ok, "%s: %s is not an object", ref, part)
			node, ok = m[part]
			require.True(t, ok, "%s does not resolve", ref)
		}
	}

	// Every operation answers something, has its own operationId (the method names
	// of generated clients), and every {param} of its path is declared.
	components := doc["components"].(map[string]any)["parameters"].(map[string]any)
	operationIDs := map[string]string{}
	for path, rawItem := range doc["paths"].(map[string]any) {
		item := rawItem.(map[string]any)
		for _, m := range httpMethods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			if assert.NotEmpty(t, id, "%s %s has no operationId", m, path) {
				assert.NotContains(t, operationIDs, id, "%s %s: operationId %s is taken by %s", m, path, id, operationIDs[id])
				operationIDs[id] = m + " " + path
			}
			assert.NotEmpty(t, op["responses"], "%s %s has no responses", m, path)
			declared := map[string]bool{}
			for _, list := range []any{item["parameters"], op["parameters"]} {
				params, _ := list.([]any)
				for _, p := range params {
					pm := p.(map[string]any)
					if ref, ok := pm["$ref"].(string); ok {
						pm = components[strings.TrimPrefix(ref, "#/components/parameters/")].(map[string]any)
					}
					if pm["in"] == "path" {
						declared[pm["name"].(string)] = true
					}
				}
			}
			for _, name := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(path, -1) {
				assert.True(t, declared[name[1]], "%s %s: path parameter %s not declared", m, path, name[1])
			}
		}
	}
}

func TestOpenAPIIsServedWithoutAToken(t *testing.T) {
	srv := NewServer(Deps{Logger: slog.New(slog.DiscardHandler)})
	e := &apiEnv{srv: srv}
	r := e.call(t, "", "GET", "/v1/openapi.json", nil)
	require.Equal(t, http.StatusOK, r.Code)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Contains(t, r.obj(t), "paths")
}
