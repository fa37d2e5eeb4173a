package asaas

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
