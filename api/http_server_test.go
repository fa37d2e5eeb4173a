package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveReal serves e's routes on a loopback port through ServeListener (the real
// http.Server with its timeouts) until the test ends.
func serveReal(t *testing.T, e *apiEnv) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.ServeListener(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return ln.Addr().String()
}

// A client that sends its headers, then its body a byte a second, is cut off once
// the read timeout has passed (it used to hold the connection as long as it liked);
// nothing is written. A request sent at a normal pace through the same server works.
func TestTrickledBodyIsCutOffWithinTheReadTimeout(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	a := e.account(t, "Acme", true)
	addr := serveReal(t, e)

	body := []byte(`{"name":"Cliente","cpf_cnpj":"24971563792"}`)
	req, err := http.NewRequest("POST", "http://"+addr+"/v1/clients", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusCreated, res.StatusCode)

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	start := time.Now()
	_, err = fmt.Fprintf(conn, "POST /v1/clients HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, a.Token, len(body))
	require.NoError(t, err)
	go func() {
		for _, b := range body {
			time.Sleep(time.Second)
			if _, err := conn.Write([]byte{b}); err != nil {
				return
			}
		}
	}()
	require.NoError(t, conn.SetReadDeadline(start.Add(readTimeout+10*time.Second)))
	answer, err := io.ReadAll(conn) // until the server closes the connection
	elapsed := time.Since(start)
	var netErr net.Error
	require.False(t, errors.As(err, &netErr) && netErr.Timeout(), "the server still held the connection after %s", elapsed)
	assert.GreaterOrEqual(t, elapsed, readTimeout-time.Second, "cut off early: %s", answer)
	assert.Less(t, elapsed, readTimeout+3*time.Second, "cut off late")
	assert.Less(t, elapsed, time.Duration(len(body))*time.Second, "before the body was complete")

	var clients int
	require.NoError(t, e.pool.QueryRow(context.Background(), "SELECT count(*) FROM clients").Scan(&clients))
	assert.Equal(t, 1, clients, "only the request sent at a normal pace was served")
}

// The write timeout leaves room for reading the body and the longest handlers.
func TestServerTimeoutsFitTheLongestRequests(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler())
	for name, d := range map[string]time.Duration{"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout} {
		assert.Positive(t, d, name)
	}
	assert.LessOrEqual(t, srv.ReadHeaderTimeout, srv.ReadTimeout)
	assert.Greater(t, srv.WriteTimeout, srv.ReadTimeout+acceptWait+actionWait, "a contract action waits up to acceptWait for its workflow to accept it, then actionWait for the result")
	assert.Greater(t, srv.WriteTimeout, srv.ReadTimeout+2*asaasCallTimeout, "a payment link makes two Asaas calls")
	assert.Greater(t, srv.WriteTimeout, srv.ReadTimeout+webhookDeadline)
}
