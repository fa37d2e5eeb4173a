package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
)

// listPage is a page of any API list.
type listPage[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// getFiltered reads an API list or report whose filters come from the user into
// out; a filter the API refused (422) is put on v, to be shown on the page,
// and out left empty.
func (x *exchange) getFiltered(path string, v *view, out any) error {
	a, err := x.c.call(x.r, x.s, http.MethodGet, path, nil, "")
	if err != nil {
		return err
	}
	switch {
	case a.ok():
		return a.decode(out)
	case a.Status == http.StatusUnprocessableEntity && a.Problem != nil:
		v.Problem = a.Problem
		return nil
	}
	return a.failure()
}

// pageSize is how many rows a console list shows at once.
const pageSize = "20"

// query builds an API query string from the request's filters: only the names
// given, only non-empty values, plus the page size and cursor.
func (x *exchange) query(names ...string) url.Values {
	q := url.Values{}
	for _, name := range names {
		if v := strings.TrimSpace(x.r.URL.Query().Get(name)); v != "" {
			q.Set(name, v)
		}
	}
	q.Set("limit", pageSize)
	if c := x.r.URL.Query().Get("cursor"); c != "" {
		q.Set("cursor", c)
	}
	return q
}

// nextURL is this page's URL with the next cursor (filters kept); "" at the end.
func (x *exchange) nextURL(next *string) string {
	if next == nil {
		return ""
	}
	q := x.r.URL.Query()
	q.Set("cursor", *next)
	q.Del("flash")
	return x.r.URL.Path + "?" + q.Encode()
}

// filters are the request's query values, for a filter form to show.
func (x *exchange) filters() map[string]string {
	out := map[string]string{}
	for k, v := range x.r.URL.Query() {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

// optional is a form value for a JSON body: nil when blank (the API's "not given").
func optional(v string) any {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return strings.TrimSpace(v)
}

// newKeyString is a fresh idempotency key for a form being rendered.
func newKeyString() string { return uuid.NewString() }
