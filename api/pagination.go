package api

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// page is a keyset position in a list ordered by (created_at DESC, id DESC).
type page struct {
	limit          int32
	afterCreatedAt *time.Time
	afterID        *uuid.UUID
}

// fetch is how many rows to ask for: one more than the page, to know if there is a next.
func (p page) fetch() int32 { return p.limit + 1 }

// listPage is every list answer: a page of data and the cursor of the next page (null at the end).
type listPage[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

func parsePage(c *gin.Context, f *fields) page {
	p := page{limit: defaultPageSize}
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxPageSize {
			f.add("limit", "must be an integer between 1 and %d", maxPageSize)
		} else {
			p.limit = int32(n)
		}
	}
	if raw := c.Query("cursor"); raw != "" {
		at, id, ok := decodeCursor(raw)
		if !ok {
			f.add("cursor", "is not a cursor this API returned")
		} else {
			p.afterCreatedAt, p.afterID = &at, &id
		}
	}
	return p
}

func encodeCursor(at time.Time, id uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id.String()))
}

func decodeCursor(raw string) (time.Time, uuid.UUID, bool) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return time.Time{}, uuid.Nil, false
	}
	ts, idText, ok := strings.Cut(string(b), "|")
	if !ok {
		return time.Time{}, uuid.Nil, false
	}
	at, err1 := time.Parse(time.RFC3339Nano, ts)
	id, err2 := uuid.Parse(idText)
	return at, id, err1 == nil && err2 == nil
}

// pageOf turns the rows of a fetch (up to limit+1) into a listPage.
func pageOf[R, V any](p page, rows []R, key func(R) (time.Time, uuid.UUID), view func(R) V) listPage[V] {
	out := listPage[V]{Data: make([]V, 0, len(rows))}
	if int32(len(rows)) > p.limit {
		rows = rows[:p.limit]
		at, id := key(rows[len(rows)-1])
		next := encodeCursor(at, id)
		out.NextCursor = &next
	}
	for _, r := range rows {
		out.Data = append(out.Data, view(r))
	}
	return out
}

// archivedFilter reads ?archived=false|true|all (default false: archived rows hidden).
func archivedFilter(c *gin.Context, f *fields) string {
	v := c.DefaultQuery("archived", "false")
	switch v {
	case "false", "true", "all":
	default:
		f.add("archived", "must be false, true or all")
	}
	return v
}

// optQuery returns a query parameter, or nil when absent or blank.
func optQuery(c *gin.Context, name string) *string {
	v := strings.TrimSpace(c.Query(name))
	if v == "" {
		return nil
	}
	return &v
}

// optQueryID parses an optional uuid query parameter. A malformed id is a validation
// error (it names no row of this account either way).
func optQueryID(c *gin.Context, f *fields, name string) *uuid.UUID {
	v := optQuery(c, name)
	if v == nil {
		return nil
	}
	id, err := uuid.Parse(*v)
	if err != nil {
		f.add(name, "must be a UUID")
		return nil
	}
	return &id
}

func optQueryDate(c *gin.Context, f *fields, name string) *time.Time {
	v := optQuery(c, name)
	if v == nil {
		return nil
	}
	return f.optDate(name, *v)
}
