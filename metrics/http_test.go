package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"billing/metrics"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
)

// The middleware labels a request with its route's template, never its path, and
// a request no route matched as "unmatched"; made-up methods share one label.
func TestHTTPMiddlewareLabelsByRouteTemplate(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	engine := gin.New()
	engine.HandleMethodNotAllowed = true
	engine.Use(metrics.HTTP(), gin.CustomRecovery(func(c *gin.Context, _ any) { c.AbortWithStatus(http.StatusInternalServerError) }))
	engine.GET("/test-http/things/:id", func(c *gin.Context) { c.Status(http.StatusOK) })
	engine.POST("/test-http/things/:id", func(c *gin.Context) { c.Status(http.StatusCreated) })
	engine.GET("/test-http/panics", func(*gin.Context) { panic("boom") })

	const family = "billing_http_request_duration_seconds"
	cases := []struct {
		name, method, path                string
		wantMethod, wantRoute, wantStatus string
	}{
		{"an id", "GET", "/test-http/things/123", "GET", "/test-http/things/:id", "200"},
		{"another id, same series", "GET", "/test-http/things/456", "GET", "/test-http/things/:id", "200"},
		{"another method", "POST", "/test-http/things/7", "POST", "/test-http/things/:id", "201"},
		{"a recovered panic", "GET", "/test-http/panics", "GET", "/test-http/panics", "500"},
		{"no route", "GET", "/test-http/nothing/here", "GET", "unmatched", "404"},
		{"method not allowed", "DELETE", "/test-http/things/1", "DELETE", "unmatched", "405"},
		{"a made-up method", "BREW", "/test-http/things/1", "other", "unmatched", "405"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := scrape(t)
			engine.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tc.method, tc.path, nil))
			after := scrape(t)
			labels := []string{"method", tc.wantMethod, "route", tc.wantRoute, "status", tc.wantStatus}
			assert.Equal(t, 1.0, after.Value(family, labels...)-before.Value(family, labels...))
			assert.Equal(t, 1.0, after.Value(family)-before.Value(family), "one observation in all")
		})
	}
	for _, route := range scrape(t).LabelValues(family, "route") {
		assert.False(t, strings.ContainsAny(route, "0123456789"), "a path with an id became a label: %s", route)
	}
	for _, m := range scrape(t).LabelValues(family, "method") {
		assert.NotEqual(t, "BREW", m)
	}
}
