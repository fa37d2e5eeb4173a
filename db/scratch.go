package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Scratch databases are made by one run and dropped at its end: a test's
// database (testenv) or a benchmark's (loadtest). A run that is killed never
// drops its own, so the name carries its creation time and later runs sweep
// those that are old and unused.
const (
	TestDatabasePrefix  = "billing_test_"
	BenchDatabasePrefix = "billing_bench_"
)

// ScratchName is prefix + creation unix seconds + "_" + random hex, e.g.
// billing_test_1795000000_3f9a6c21d0.
func ScratchName(prefix string, now time.Time) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + strconv.FormatInt(now.Unix(), 10) + "_" + hex.EncodeToString(b)
}

// scratchCreated reads the creation time from a scratch name: prefix, unix
// seconds, "_", anything. Bench databases of earlier versions are
// prefix + unix nanoseconds; those are read too. Other names have no time.
func scratchCreated(prefix, name string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return time.Time{}, false
	}
	digits, _, hasSuffix := strings.Cut(rest, "_")
	n, err := strconv.ParseInt(digits, 10, 64)
	switch {
	case err != nil || n <= 0:
		return time.Time{}, false
	case hasSuffix:
		return time.Unix(n, 0), true
	case len(digits) >= 19:
		return time.Unix(0, n), true
	}
	return time.Time{}, false
}

// SweepScratch drops the scratch databases named with prefix that were created
// before now-maxAge and that nobody uses (no session connected, no clone
// running), and returns their names. A database that is busy, or whose drop
// fails, is left for a later sweep.
func SweepScratch(ctx context.Context, conn *pgx.Conn, prefix string, maxAge time.Duration, now time.Time) ([]string, error) {
	names, err := databasesWithPrefix(ctx, conn, prefix)
	if err != nil {
		return nil, err
	}
	var dropped []string
	for _, name := range names {
		created, ok := scratchCreated(prefix, name)
		if !ok || now.Sub(created) < maxAge {
			continue
		}
		busy, err := DatabaseInUse(ctx, conn, name)
		if err != nil {
			return dropped, err
		}
		if busy {
			continue
		}
		// Without FORCE: a session that connected since the check makes the
		// drop fail, and the database waits for the next sweep.
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()); err != nil {
			continue
		}
		dropped = append(dropped, name)
	}
	return dropped, nil
}

// databasesWithPrefix lists the non-template databases whose name starts with
// prefix (starts_with, not LIKE: "_" is a LIKE wildcard).
func databasesWithPrefix(ctx context.Context, conn *pgx.Conn, prefix string) ([]string, error) {
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND NOT datistemplate ORDER BY datname", prefix)
	if err != nil {
		return nil, fmt.Errorf("list databases %s*: %w", prefix, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// DatabaseInUse reports whether a session is connected to the database or holds
// a lock on it (CREATE DATABASE ... TEMPLATE holds one on its template while it
// copies).
func DatabaseInUse(ctx context.Context, conn *pgx.Conn, name string) (bool, error) {
	var busy bool
	err := conn.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid())
		    OR EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON l.objid = d.oid
		               WHERE l.locktype = 'object' AND l.classid = 'pg_database'::regclass
		                 AND d.datname = $1 AND l.pid <> pg_backend_pid())`, name).Scan(&busy)
	return busy, err
}
