package api

import (
	"net/http"
	"strings"
)

// Other front doors served by the same listener as the API: the console under
// /console/ (package console), which renders its pages by calling Handler() in
// process. They sit beside the gin router, not in it, so the router's routes stay
// exactly the REST API that openapi.yaml documents, and requests for any other path
// reach the router untouched.

type mount struct {
	path    string
	handler http.Handler
}

// Mount serves h for path ahead of the API's routes: a path ending in "/" covers
// its whole subtree ("/console/"), any other path only itself; "/" is the root page
// alone (every other path is the API's). Call it before serving.
func (s *Server) Mount(path string, h http.Handler) {
	s.mounts = append(s.mounts, mount{path, h})
}

// Root is what ServeListener serves: the mounted handlers, and the API for every
// other path.
func (s *Server) Root() http.Handler {
	if len(s.mounts) == 0 {
		return s.engine
	}
	mounts := append([]mount(nil), s.mounts...)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range mounts {
			if r.URL.Path == m.path || m.path != "/" && strings.HasSuffix(m.path, "/") && strings.HasPrefix(r.URL.Path, m.path) {
				m.handler.ServeHTTP(w, r)
				return
			}
		}
		s.engine.ServeHTTP(w, r)
	})
}
