package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// httpBuckets run from 5 ms to 30 s (the longest handler: a payment link's two
// Asaas calls; Asaas gives up on a webhook answer after about 10 s).
var httpBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

var httpDuration = histogramVec("billing_http_request_duration_seconds",
	"Time to answer an HTTP request, by method, route template (unmatched: no route) and status.",
	httpBuckets, "method", "route", "status")

// UnmatchedRoute is the route label of a request no route matched (404 and 405).
const UnmatchedRoute = "unmatched"

// HTTP is the gin middleware that times every request it wraps. The route label
// is the route's template (/v1/contracts/:id), never the path: ids must not make a
// series each. Put it first, so the time and the status include the other
// middlewares' (a recovered panic is its 500).
func HTTP() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = UnmatchedRoute
		}
		httpDuration.WithLabelValues(method(c.Request.Method), route, strconv.Itoa(c.Writer.Status())).
			Observe(time.Since(start).Seconds())
	}
}

// method is the request's method if it is a standard one, "other" if not: a client
// must not make a series per made-up method.
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}
