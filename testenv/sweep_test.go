package testenv

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"billing/db"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The sweeps run here on names of their own (a random run id in the prefix), so
// this test never touches the templates and databases of real runs on the
// same server.

func sweepAdmin(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := adminConn(context.Background())
	require.NoError(t, err, "integration tests need PostgreSQL")
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// scratchDB creates a database and drops it (FORCE) when the test ends.
func scratchDB(t *testing.T, conn *pgx.Conn, name string, template bool) {
	t.Helper()
	ctx := context.Background()
	_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	require.NoError(t, err)
	if template {
		_, err = conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH is_template true")
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		ident := pgx.Identifier{name}.Sanitize()
		_, _ = conn.Exec(ctx, "ALTER DATABASE "+ident+" WITH is_template false")
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)")
	})
}

// connectTo opens a session on a database, as a running test would.
func connectTo(t *testing.T, name string) *pgx.Conn {
	t.Helper()
	u, err := urlFor(name)
	require.NoError(t, err)
	c, err := pgx.Connect(context.Background(), u)
	require.NoError(t, err)
	return c
}

func exists(t *testing.T, conn *pgx.Conn, name string) bool {
	t.Helper()
	var ok bool
	require.NoError(t, conn.QueryRow(context.Background(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&ok))
	return ok
}

func runID() string { return strconv.FormatInt(time.Now().UnixNano()%1_000_000_000, 36) }

func TestSweepTemplatesDropsOldOnesNotThoseInUse(t *testing.T) {
	ctx := context.Background()
	conn := sweepAdmin(t)
	prefix := "billing_sweeptest_" + runID() + "_tmpl_"
	keep, old, held, connected := prefix+"current", prefix+"old", prefix+"held", prefix+"connected"
	for _, name := range []string{keep, old, held, connected} {
		scratchDB(t, conn, name, true)
	}
	// Another test process cloning from "held" holds its key shared.
	holder := sweepAdmin(t)
	_, err := holder.Exec(ctx, "SELECT pg_advisory_lock_shared($1, hashtext($2))", lockInUse, held)
	require.NoError(t, err)
	session := connectTo(t, connected)

	dropped, err := sweepTemplates(ctx, conn, prefix, keep)
	require.NoError(t, err)
	assert.Equal(t, []string{old}, dropped)
	assert.False(t, exists(t, conn, old), "an old template nobody uses is dropped")
	assert.True(t, exists(t, conn, keep), "the current template stays")
	assert.True(t, exists(t, conn, held), "a template a running test process holds stays")
	assert.True(t, exists(t, conn, connected), "a template with a session stays")
	var stillTemplate bool
	require.NoError(t, conn.QueryRow(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", held).Scan(&stillTemplate))
	assert.True(t, stillTemplate, "a skipped template is still a template")

	// Once nobody uses them, the next sweep drops them too.
	_, err = holder.Exec(ctx, "SELECT pg_advisory_unlock_shared($1, hashtext($2))", lockInUse, held)
	require.NoError(t, err)
	require.NoError(t, session.Close(ctx))
	require.Eventually(t, func() bool {
		busy, err := db.DatabaseInUse(ctx, conn, connected)
		return err == nil && !busy
	}, 10*time.Second, 20*time.Millisecond, "the session's backend is gone")
	dropped, err = sweepTemplates(ctx, conn, prefix, keep)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{held, connected}, dropped)
	assert.True(t, exists(t, conn, keep))
}

func TestSweepScratchDropsLeakedDatabases(t *testing.T) {
	ctx := context.Background()
	conn := sweepAdmin(t)
	prefix := "billing_sweeptest_" + runID() + "_db_"
	now := time.Now()
	threeHoursAgo := strconv.FormatInt(now.Add(-3*time.Hour).Unix(), 10)
	leaked := prefix + threeHoursAgo + "_aa"
	oldNanos := prefix + strconv.FormatInt(now.Add(-3*time.Hour).UnixNano(), 10) // bench names of earlier versions
	busy := prefix + threeHoursAgo + "_bb"
	young := db.ScratchName(prefix, now.Add(-time.Hour))
	timeless := prefix + "deadbeef"
	for _, name := range []string{leaked, oldNanos, busy, young, timeless} {
		scratchDB(t, conn, name, false)
	}
	session := connectTo(t, busy)
	t.Cleanup(func() { session.Close(ctx) })

	dropped, err := db.SweepScratch(ctx, conn, prefix, 2*time.Hour, now)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{leaked, oldNanos}, dropped)
	for name, want := range map[string]bool{leaked: false, oldNanos: false, busy: true, young: true, timeless: true} {
		assert.Equal(t, want, exists(t, conn, name), "%s exists after the sweep", name)
	}
}

func TestDatabaseURLNamesCarryTheirCreationTime(t *testing.T) {
	u := DatabaseURL(t)
	cfg, err := pgx.ParseConfig(u)
	require.NoError(t, err)
	m := regexp.MustCompile(`^billing_test_(\d+)_[0-9a-f]{10}$`).FindStringSubmatch(cfg.Database)
	require.NotNil(t, m, "name %q", cfg.Database)
	unix, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), time.Unix(unix, 0), time.Minute, fmt.Sprintf("created at %s", m[1]))
}
