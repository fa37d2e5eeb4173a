// Package asaassim is a stateful simulator of the Asaas v3 API, for development,
// demos and tests without the real gateway.
package asaassim

import (
	"net/http"
)

// Options configures the simulator.
type Options struct{}

// Server is the simulator.
type Server struct {
	mux *http.ServeMux
}

// New builds a simulator. The Asaas routes land with the Asaas issue; until then
// only the control health route answers.
func New(Options) *Server {
	s := &Server{mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /_sim/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	return s
}

// Handler serves the simulator's routes.
func (s *Server) Handler() http.Handler { return s.mux }
