package asaassim

import (
	"net/url"
	"strconv"
)

// Pagination: default limit 10, maximum 100 (FACTS: limit comes back as a
// number; without one it is 10). Values out of range fall back silently (invented).
const (
	defaultLimit = 10
	maxLimit     = 100
)

type page struct{ offset, limit int }

func parsePage(q url.Values) page {
	p := page{limit: defaultLimit}
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v > 0 {
		p.limit = min(v, maxLimit)
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil && v > 0 {
		p.offset = v
	}
	return p
}

// listPage walks items (oldest first) from the newest, keeps those that match,
// and renders the requested page inside the Asaas list envelope.
func listPage[T any](items []T, match func(T) bool, p page, render func(T) obj) obj {
	data := make([]obj, 0, min(p.limit, len(items)))
	total := 0
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		if !match(it) {
			continue
		}
		if total >= p.offset && len(data) < p.limit {
			data = append(data, render(it))
		}
		total++
	}
	return obj{
		{"object", "list"},
		{"hasMore", p.offset+len(data) < total},
		{"totalCount", total},
		{"limit", p.limit},
		{"offset", p.offset},
		{"data", data},
	}
}
