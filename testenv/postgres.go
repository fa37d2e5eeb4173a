// Package testenv gives integration tests the real parts: an isolated PostgreSQL
// database per test (cloned from a migrated template) and a real Temporal dev
// server per test binary. Nothing is skipped: without PostgreSQL the test fails
// with a sentence saying what to start.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"billing/config"
	"billing/db"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// baseURL is DATABASE_URL (or its default): the server tests create databases on.
func baseURL() string {
	if v := os.Getenv("DATABASE_URL"); v != "" {
		return v
	}
	return config.Default("DATABASE_URL")
}

func urlFor(database string) (string, error) {
	cfg, err := pgx.ParseConfig(baseURL())
	if err != nil {
		return "", err
	}
	// Rebuild from parsed parts so any URL form (with or without a database) works.
	u := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, database)
	if cfg.Password != "" {
		u = fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Password, cfg.Host, cfg.Port, database)
	}
	return u, nil
}

func adminConn(ctx context.Context) (*pgx.Conn, error) {
	u, err := urlFor("postgres")
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return nil, db.Unreachable(baseURL(), err)
	}
	return conn, nil
}

// DatabaseURL creates a fresh migrated database for this test and drops it after
// (a killed run leaves it to the sweep of a later one, see template.go).
func DatabaseURL(t testing.TB) string {
	t.Helper()
	tmpl, err := ensureTemplate()
	if err != nil {
		t.Fatalf("integration tests need PostgreSQL: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := adminConn(ctx)
	if err != nil {
		t.Fatalf("integration tests need PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	// The creation time in the name lets a later run sweep it if this one is
	// killed before its cleanup.
	name := db.ScratchName(db.TestDatabasePrefix, time.Now())
	for attempt := 0; ; attempt++ {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+tmpl)
		var pgErr *pgconn.PgError
		// 55006: another session is cloning the template right now.
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || attempt > 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := adminConn(ctx); err == nil {
			defer conn.Close(ctx)
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}
	})
	u, err := urlFor(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Postgres returns a pool on a fresh migrated database for this test.
func Postgres(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := db.Open(context.Background(), DatabaseURL(t))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}
