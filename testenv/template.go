package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"billing/db"

	"github.com/jackc/pgx/v5"
)

// The migrated template every test database is cloned from, one per schema
// version, shared by every test binary and run on the server. A run that makes a
// new template drops the templates of older schemas, and every run sweeps the
// scratch databases killed runs left behind.

const (
	templatePrefix = "billing_tmpl_"
	// lockCreate serialises template creation (and the sweep of old templates)
	// across every process on the server.
	lockCreate = 727001
	// lockInUse is the class of the advisory key (lockInUse, hashtext(template))
	// that every test process holds shared while it clones from a template: a
	// sweep skips a template whose key it cannot take exclusively.
	lockInUse = 727002
	// leakedAfter: a scratch database this old that nobody uses belongs to a run
	// that was killed (a whole `make test` takes minutes; `make bench` under 10).
	leakedAfter = 2 * time.Hour
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
	// templateHold keeps the shared lockInUse key on templateName for the life
	// of the process (the connection ends with it).
	templateHold *pgx.Conn
)

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
		if templateErr == nil {
			sweepLeaked(ctx)
		}
	})
	return templateName, templateErr
}

func createTemplate(ctx context.Context) (_ string, err error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := templatePrefix + sum
	conn, err := adminConn(ctx)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			conn.Close(context.Background())
		}
	}()
	// Test binaries run in parallel: one creates the template, the others wait.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockCreate); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", lockCreate) //nolint:errcheck
	// Taken under lockCreate, which every sweep holds too: no sweep can drop the
	// template between here and this process's last clone.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock_shared($1, hashtext($2))", lockInUse, name); err != nil {
		return "", err
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if err := migrateTemplate(ctx, conn, name); err != nil {
			return "", err
		}
		if dropped, err := sweepTemplates(ctx, conn, templatePrefix, name); err != nil {
			fmt.Fprintf(os.Stderr, "testenv: sweeping old templates: %v\n", err)
		} else if len(dropped) > 0 {
			fmt.Fprintf(os.Stderr, "testenv: dropped old templates %v\n", dropped)
		}
	}
	templateHold = conn
	return name, nil
}

func migrateTemplate(ctx context.Context, conn *pgx.Conn, name string) error {
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return err
	}
	u, err := urlFor(name)
	if err != nil {
		return err
	}
	pool, err := db.Open(ctx, u)
	if err != nil {
		return err
	}
	err = db.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "ALTER DATABASE "+name+" WITH is_template true")
	return err
}

// sweepTemplates drops the databases named prefix* other than keep, and returns
// their names. It skips a template some process holds (lockInUse), one with a
// session connected or a clone running, and one whose drop fails (marked a
// template again). Caller holds lockCreate.
func sweepTemplates(ctx context.Context, conn *pgx.Conn, prefix, keep string) ([]string, error) {
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2 ORDER BY datname", prefix, keep)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var dropped []string
	for _, name := range names {
		ok, err := dropUnusedTemplate(ctx, conn, name)
		if err != nil {
			return dropped, err
		}
		if ok {
			dropped = append(dropped, name)
		}
	}
	return dropped, nil
}

func dropUnusedTemplate(ctx context.Context, conn *pgx.Conn, name string) (bool, error) {
	var free bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1, hashtext($2))", lockInUse, name).Scan(&free); err != nil || !free {
		return false, err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1, hashtext($2))", lockInUse, name) //nolint:errcheck
	if busy, err := db.DatabaseInUse(ctx, conn, name); err != nil || busy {
		return false, err
	}
	ident := pgx.Identifier{name}.Sanitize()
	// A template cannot be dropped; unmark it first.
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" WITH is_template false"); err != nil {
		return false, nil
	}
	if _, err := conn.Exec(ctx, "DROP DATABASE "+ident); err != nil {
		_, _ = conn.Exec(ctx, "ALTER DATABASE "+ident+" WITH is_template true")
		return false, nil
	}
	return true, nil
}

// sweepLeaked drops the scratch databases of killed test and bench runs. Best
// effort: a failure only leaves them for the next run.
func sweepLeaked(ctx context.Context) {
	conn, err := adminConn(ctx)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	for _, prefix := range []string{db.TestDatabasePrefix, db.BenchDatabasePrefix} {
		if _, err := db.SweepScratch(ctx, conn, prefix, leakedAfter, time.Now()); err != nil {
			fmt.Fprintf(os.Stderr, "testenv: sweeping leaked %s* databases: %v\n", prefix, err)
		}
	}
}
