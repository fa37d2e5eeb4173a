package db_test

import (
	"context"
	"strings"
	"testing"

	"billing/db"
	"billing/temporaldev"
	"billing/testenv"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnsureDatabaseAndMigrateAreIdempotent(t *testing.T) {
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	// A fresh name on the same server: created once, found the second time.
	cfg, err := pgx.ParseConfig(url)
	require.NoError(t, err)
	fresh := strings.Replace(url, "/"+cfg.Database+"?", "/"+cfg.Database+"_new?", 1)
	t.Cleanup(func() {
		if conn, err := pgx.Connect(ctx, url); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+cfg.Database+"_new WITH (FORCE)")
			conn.Close(ctx)
		}
	})
	created, err := db.EnsureDatabase(ctx, fresh)
	require.NoError(t, err)
	assert.True(t, created)
	created, err = db.EnsureDatabase(ctx, fresh)
	require.NoError(t, err)
	assert.False(t, created)

	pool, err := db.Open(ctx, fresh)
	require.NoError(t, err)
	defer pool.Close()
	require.NoError(t, db.Migrate(ctx, pool))
	require.NoError(t, db.Migrate(ctx, pool), "a second run applies nothing and fails nothing")
	var n int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM accounts").Scan(&n))
	assert.Zero(t, n)
}

func TestUnreachableServerSaysWhatToStart(t *testing.T) {
	addr, err := temporaldev.FreeAddress()
	require.NoError(t, err)
	_, err = db.Open(context.Background(), "postgres://postgres@"+addr+"/billing?sslmode=disable")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PostgreSQL is not answering at "+addr)
	assert.Contains(t, err.Error(), "start a PostgreSQL server")
}

func TestDecimalColumnsKeepCents(t *testing.T) {
	pool := testenv.Postgres(t)
	var s string
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT (0.1::numeric(14,2) + 0.2::numeric(14,2))::text").Scan(&s))
	assert.Equal(t, "0.30", s)
}
