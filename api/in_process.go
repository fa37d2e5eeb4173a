package api

import "context"

// In-process callers. The console (package console) renders its pages from this
// API: it builds an ordinary HTTP request, marks its context with the signed-in
// user's API token (by the hash stored for it, never the token itself) and passes it
// to Handler().ServeHTTP. Such a request goes through exactly the same middleware and
// handlers as one from the network: authenticate looks the token up with the same
// query (revoked, expired or disabled-account tokens are refused the same way), and
// every rule, 404 and 422 comes from the one implementation. Only code in this
// process can set a context value, so nothing from the network can claim one.

type inProcessTokenKey struct{}

// WithTokenHash returns ctx marked as a request on behalf of the API token whose
// stored hash (tenant.HashToken) is tokenHash.
func WithTokenHash(ctx context.Context, tokenHash []byte) context.Context {
	return context.WithValue(ctx, inProcessTokenKey{}, append([]byte(nil), tokenHash...))
}

// inProcessTokenHash is the hash set by WithTokenHash, if any.
func inProcessTokenHash(ctx context.Context) ([]byte, bool) {
	h, ok := ctx.Value(inProcessTokenKey{}).([]byte)
	return h, ok && len(h) > 0
}
