// Package testenv gives integration tests the real parts: an isolated PostgreSQL
// database per test (cloned from a migrated template) and a real Temporal dev
// server per test binary. Nothing is skipped: without PostgreSQL the test fails
// with a sentence saying what to start.
package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"billing/config"
	"billing/db"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
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

// migrationsHash names the template after the schema, so a changed migration gets
// a fresh template and an unchanged one is reused across packages and runs.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(db.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(db.Migrations(), path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func ensureTemplate() (string, error) {
	templateOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		templateName, templateErr = createTemplate(ctx)
	})
	return templateName, templateErr
}

func createTemplate(ctx context.Context) (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "billing_tmpl_" + sum
	conn, err := adminConn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	// Test binaries run in parallel: one creates the template, the others wait.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(727001)"); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(727001)") //nolint:errcheck
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	u, err := urlFor(name)
	if err != nil {
		return "", err
	}
	pool, err := db.Open(ctx, u)
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+name+" WITH is_template true"); err != nil {
		return "", err
	}
	return name, nil
}

// DatabaseURL creates a fresh migrated database for this test and drops it after.
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
	name := "billing_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:20]
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
