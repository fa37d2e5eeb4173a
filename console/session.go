package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"billing/db/dbgen"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// sessionCookie holds the random session id (256 bits, base64url). The database
// keeps its SHA-256 only, so a copy of the table opens no session.
const sessionCookie = "billing_console"

// session is a signed-in user: who, and the API token the pages are rendered with
// (by the hash the API stores for it; the token itself is never kept).
type session struct {
	idHash      []byte
	AccountID   uuid.UUID
	UserID      uuid.UUID
	Email       string
	AccountName string
	CSRF        string
	tokenHash   []byte
	ExpiresAt   time.Time
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux (Go 1.24+ panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSessionID(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}

// openSession stores a new session for the token owner and returns the cookie value.
func (c *Console) openSession(ctx context.Context, owner dbgen.AuthenticateTokenRow) (string, error) {
	q := dbgen.New(c.opts.Pool)
	if _, err := q.DeleteExpiredConsoleSessions(ctx); err != nil {
		return "", err
	}
	id := randomToken()
	_, err := q.CreateConsoleSession(ctx, dbgen.CreateConsoleSessionParams{
		IDHash: hashSessionID(id), AccountID: owner.AccountID, UserID: owner.UserID, TokenID: owner.TokenID,
		CsrfToken: randomToken(), ExpiresAt: time.Now().Add(c.opts.SessionTTL),
	})
	return id, err
}

// currentSession is the live session of the request's cookie, nil when there is none.
func (c *Console) currentSession(r *http.Request) (*session, error) {
	cookie, err := r.Cookie(sessionCookie)
	if err != nil || cookie.Value == "" || len(cookie.Value) > 100 {
		return nil, nil
	}
	row, err := dbgen.New(c.opts.Pool).GetConsoleSession(r.Context(), hashSessionID(cookie.Value))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &session{idHash: row.IDHash, AccountID: row.AccountID, UserID: row.UserID, Email: row.UserEmail,
		AccountName: row.AccountName, CSRF: row.CsrfToken, tokenHash: row.TokenHash, ExpiresAt: row.ExpiresAt}, nil
}

func (c *Console) closeSession(ctx context.Context, s *session) error {
	return dbgen.New(c.opts.Pool).DeleteConsoleSession(ctx, s.idHash)
}

// secureRequest: the browser reached us over TLS (directly, or through a proxy that
// says so); cookies then get the Secure attribute.
func secureRequest(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (c *Console) setSessionCookie(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/console/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), MaxAge: int(c.opts.SessionTTL.Seconds())})
}

func clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/console/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), MaxAge: -1})
}
