package asaas

import (
	"context"
	"fmt"
)

// List is Asaas' pagination envelope. Lists are newest first.
type List[T any] struct {
	Object     string `json:"object"`
	HasMore    bool   `json:"hasMore"`
	TotalCount int    `json:"totalCount"`
	Limit      int    `json:"limit"`
	Offset     int    `json:"offset"`
	Data       []T    `json:"data"`
}

// MaxLimit is the largest page size Asaas accepts.
const MaxLimit = 100

// maxPages bounds a full listing, so that a server that keeps answering
// hasMore cannot hold a caller forever (100 pages = 10,000 objects).
const maxPages = 100

// listAll fetches pages from offset until hasMore is false, an empty page
// arrives or maxPages is reached.
func listAll[T any](ctx context.Context, offset int, page func(context.Context, int) (List[T], error)) ([]T, error) {
	var all []T
	for range maxPages {
		l, err := page(ctx, offset)
		if err != nil {
			return nil, err
		}
		all = append(all, l.Data...)
		if !l.HasMore || len(l.Data) == 0 {
			return all, nil
		}
		offset += len(l.Data)
	}
	// Not retryable: the same listing would be as long next time.
	return nil, fmt.Errorf("asaas: listing has more than %d pages; narrow the filter", maxPages)
}
