package api

import (
	"net/http"
	"time"
)

// The HTTP server's timeouts. A client must send its headers within
// readHeaderTimeout and its whole request (headers and body, at most maxBodyBytes)
// within readTimeout: a body trickled a byte at a time no longer holds a connection
// open. writeTimeout runs from the end of the headers to the end of the answer, so it
// covers reading the body plus the longest handler: a payment link makes up to two
// Asaas calls of asaasCallTimeout each, a contract action waits actionWait for its
// workflow. idleTimeout closes kept-alive connections nobody uses.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = readTimeout + 2*asaasCallTimeout + 5*time.Second
	idleTimeout       = 60 * time.Second
)

// newHTTPServer is the http.Server the API listens with.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
}
