package wooconnect_test

import (
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// testConnectionStore runs the ConnectionStore contract against a fresh, empty store.
func testConnectionStore(t *testing.T, newStore func(t *testing.T) wooconnect.ConnectionStore) {
	t.Run("round trip", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		now := time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)
		rec := wooconnect.ConnectionRecord{ID: "wc_1", ProgramID: "card", StoreURL: "https://shop.example",
			Credentials: []byte{1, 2, 3, 0, 255}, WebhookID: 12, ManualReason: "", Paused: true,
			ConnectedAt: now, ProcessingSince: now.Add(time.Minute), UpdatedAt: now.Add(2 * time.Minute)}
		require.NoError(t, s.CreateConnection(ctx, rec))
		got, err := s.Connection(ctx, "wc_1")
		require.NoError(t, err)
		assert.Equal(t, rec, got)
		got, err = s.ConnectionByStore(ctx, "card", "https://shop.example")
		require.NoError(t, err)
		assert.Equal(t, rec, got)
		assert.Equal(t, wooconnect.StatePaused, got.State())

		rec.Credentials, rec.Disconnected, rec.WebhookID, rec.ManualReason = nil, true, 0, "x"
		rec.LastDeliveryAt = now.Add(time.Hour) // ignored by UpdateConnection
		require.NoError(t, s.UpdateConnection(ctx, rec))
		got, err = s.Connection(ctx, "wc_1")
		require.NoError(t, err)
		assert.Nil(t, got.Credentials)
		assert.True(t, got.LastDeliveryAt.IsZero())
		assert.Equal(t, wooconnect.StateDisconnected, got.State())
	})
	t.Run("not found and duplicates", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		_, err := s.Connection(ctx, "nope")
		assert.ErrorIs(t, err, wooconnect.ErrConnectionNotFound)
		_, err = s.ConnectionByStore(ctx, "card", "https://shop.example")
		assert.ErrorIs(t, err, wooconnect.ErrConnectionNotFound)
		assert.ErrorIs(t, s.UpdateConnection(ctx, wooconnect.ConnectionRecord{ID: "nope"}), wooconnect.ErrConnectionNotFound)
		assert.ErrorIs(t, s.RecordDelivery(ctx, "nope", time.Now()), wooconnect.ErrConnectionNotFound)

		rec := wooconnect.ConnectionRecord{ID: "wc_1", ProgramID: "card", StoreURL: "https://shop.example", ConnectedAt: time.Now()}
		require.NoError(t, s.CreateConnection(ctx, rec))
		assert.ErrorIs(t, s.CreateConnection(ctx, rec), wooconnect.ErrConnectionExists)
		rec.ID = "wc_2"
		assert.ErrorIs(t, s.CreateConnection(ctx, rec), wooconnect.ErrConnectionExists, "same program and store")
		rec.ProgramID = "other"
		assert.NoError(t, s.CreateConnection(ctx, rec), "another program may connect the same store")
	})
	t.Run("list", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		for i, id := range []string{"wc_c", "wc_a", "wc_b"} {
			require.NoError(t, s.CreateConnection(ctx, wooconnect.ConnectionRecord{ID: id, ProgramID: []string{"p1", "p2", "p1"}[i],
				StoreURL: "https://" + id + ".example", ConnectedAt: base.Add(time.Duration(i) * time.Minute)}))
		}
		all, err := s.Connections(ctx, "")
		require.NoError(t, err)
		require.Len(t, all, 3)
		assert.Equal(t, []string{"wc_c", "wc_a", "wc_b"}, []string{all[0].ID, all[1].ID, all[2].ID})
		p1, err := s.Connections(ctx, "p1")
		require.NoError(t, err)
		assert.Len(t, p1, 2)
	})
	t.Run("deliveries only move forward", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		require.NoError(t, s.CreateConnection(ctx, wooconnect.ConnectionRecord{ID: "wc_1", ProgramID: "p", StoreURL: "https://s.example"}))
		t1 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() { assert.NoError(t, s.RecordDelivery(ctx, "wc_1", t1.Add(time.Duration(i)*time.Second))) })
		}
		wg.Wait()
		require.NoError(t, s.RecordDelivery(ctx, "wc_1", t1))
		got, err := s.Connection(ctx, "wc_1")
		require.NoError(t, err)
		assert.Equal(t, t1.Add(19*time.Second), got.LastDeliveryAt)
	})
	t.Run("the reconciled point only moves forward and survives updates", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		rec := wooconnect.ConnectionRecord{ID: "wc_1", ProgramID: "p", StoreURL: "https://s.example"}
		require.NoError(t, s.CreateConnection(ctx, rec))
		t1 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		require.NoError(t, s.RecordReconciled(ctx, "wc_1", t1))
		require.NoError(t, s.RecordReconciled(ctx, "wc_1", t1.Add(-time.Hour)))
		rec.Paused = true
		require.NoError(t, s.UpdateConnection(ctx, rec))
		got, err := s.Connection(ctx, "wc_1")
		require.NoError(t, err)
		assert.Equal(t, t1, got.ReconciledThrough)
		assert.True(t, got.Paused)
		assert.ErrorIs(t, s.RecordReconciled(ctx, "nope", t1), wooconnect.ErrConnectionNotFound)
	})
	t.Run("email opt-outs", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		out, err := s.EmailOptOut(ctx, "p", "m")
		require.NoError(t, err)
		assert.False(t, out)
		require.NoError(t, s.SetEmailOptOut(ctx, "p", "m", true))
		require.NoError(t, s.SetEmailOptOut(ctx, "p", "m", true), "idempotent")
		out, err = s.EmailOptOut(ctx, "p", "m")
		require.NoError(t, err)
		assert.True(t, out)
		out, err = s.EmailOptOut(ctx, "other", "m")
		require.NoError(t, err)
		assert.False(t, out, "per program")
		require.NoError(t, s.SetEmailOptOut(ctx, "p", "m", false))
		out, err = s.EmailOptOut(ctx, "p", "m")
		require.NoError(t, err)
		assert.False(t, out)
	})
}

func TestMemoryConnectionStore(t *testing.T) {
	t.Parallel()
	testConnectionStore(t, func(*testing.T) wooconnect.ConnectionStore { return wooconnect.NewMemoryConnectionStore() })
}

func TestSQLConnectionStore_SQLite(t *testing.T) {
	t.Parallel()
	testConnectionStore(t, func(t *testing.T) wooconnect.ConnectionStore {
		s, err := wooconnect.NewSQLConnectionStore(t.Context(), newLoyaltyStore(t, ""))
		require.NoError(t, err)
		return s
	})
}

// Opening twice (a restart, two processes) keeps the schema and the data; the tables are
// migrated by the loyalty store's migrator, as the component "wooconnect".
func TestSQLConnectionStore_ReopenKeepsData(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "c.db")
	open := func() (*sqlite.Store, wooconnect.ConnectionStore) {
		store, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		s, err := wooconnect.NewSQLConnectionStore(t.Context(), store)
		require.NoError(t, err)
		return store, s
	}
	store, s := open()
	require.NoError(t, s.CreateConnection(t.Context(), wooconnect.ConnectionRecord{ID: "wc_1", ProgramID: "p", StoreURL: "https://s.example"}))
	require.NoError(t, store.Close())
	store, s = open()
	defer store.Close()
	_, err := s.Connection(t.Context(), "wc_1")
	require.NoError(t, err)
	var version int
	require.NoError(t, store.DB().QueryRow(`SELECT max(version) FROM loyalty_schema_migrations WHERE component = 'wooconnect'`).Scan(&version))
	assert.Equal(t, 2, version)

	require.NoError(t, store.Write(t.Context(), func(tx sqlstore.Tx) error {
		_, err := tx.Exec(t.Context(), `INSERT INTO loyalty_schema_migrations (component, version, name) VALUES ('wooconnect', 99, 'future')`)
		return err
	}))
	_, err = wooconnect.NewSQLConnectionStore(t.Context(), store)
	assert.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
	_, err = wooconnect.NewSQLConnectionStore(t.Context(), nil)
	assert.Error(t, err)
}

// A database set up by the earlier, separate migrator (its own wooconnect_schema table) keeps
// its connections.
func TestSQLConnectionStore_AdoptsTheEarlierTables(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "c.db")
	store := newLoyaltyStore(t, path)
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE wooconnect_schema (version INTEGER NOT NULL)`,
		`INSERT INTO wooconnect_schema (version) VALUES (1)`,
		`CREATE TABLE wooconnect_connections (id TEXT PRIMARY KEY, program_id TEXT NOT NULL, store_url TEXT NOT NULL,
			credentials TEXT, webhook_id BIGINT NOT NULL DEFAULT 0, manual_reason TEXT NOT NULL DEFAULT '',
			paused INTEGER NOT NULL DEFAULT 0, disconnected INTEGER NOT NULL DEFAULT 0, connected_at BIGINT NOT NULL,
			processing_since BIGINT NOT NULL, last_delivery_at BIGINT NOT NULL DEFAULT 0, updated_at BIGINT NOT NULL,
			UNIQUE (program_id, store_url))`,
		`INSERT INTO wooconnect_connections (id, program_id, store_url, connected_at, processing_since, updated_at)
			VALUES ('wc_old', 'p', 'https://s.example', 1, 1, 1)`,
	} {
		_, err := db.Exec(q)
		require.NoError(t, err)
	}
	s, err := wooconnect.NewSQLConnectionStore(t.Context(), store)
	require.NoError(t, err)
	_, err = s.Connection(t.Context(), "wc_old")
	require.NoError(t, err)
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'wooconnect_schema'`).Scan(&n))
	assert.Zero(t, n, "the earlier version table is gone")
}

// With LOYALSYNC_TEST_POSTGRES set to a DSN, the same contract runs on PostgreSQL.
func TestSQLConnectionStore_PostgreSQL(t *testing.T) {
	dsn := pgtest.DSN(t)
	store, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(pgtest.FreshSchema(t, dsn)))
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	testConnectionStore(t, func(t *testing.T) wooconnect.ConnectionStore {
		s, err := wooconnect.NewSQLConnectionStore(t.Context(), store)
		require.NoError(t, err)
		require.NoError(t, store.Write(t.Context(), func(tx sqlstore.Tx) error {
			for _, tbl := range []string{"wooconnect_connections", "wooconnect_email_optouts"} {
				if _, err := tx.Exec(t.Context(), "DELETE FROM "+tbl); err != nil {
					return err
				}
			}
			return nil
		}))
		return s
	})
}

// The store stamps what it writes on its own with its clock; nil options are ignored.
func TestSQLConnectionStore_Clock(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	store := newLoyaltyStore(t, "")
	s, err := wooconnect.NewSQLConnectionStore(t.Context(), store, nil, wooconnect.WithStoreClock(fixedClock(at)))
	require.NoError(t, err)
	require.NoError(t, s.SetEmailOptOut(t.Context(), "p", "m", true))
	var micros int64
	require.NoError(t, store.DB().QueryRow(`SELECT created_at FROM wooconnect_email_optouts`).Scan(&micros))
	assert.Equal(t, at, time.UnixMicro(micros).UTC())
	_, err = wooconnect.NewSQLConnectionStore(t.Context(), store, wooconnect.WithStoreClock(nil))
	assert.ErrorContains(t, err, "WithStoreClock")
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// A nil Option, at any level, is ignored.
func TestNew_NilOptionsIgnored(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withConnector(nil, wooconnect.WithClientOptions(nil), wooconnect.WithEngineOptions(nil)))
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	assert.Equal(t, int64(10), e.balance(ada.email))
}
