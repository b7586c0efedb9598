package sqlcore

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// Migration is one versioned schema change, read from a file named "<version>_<name>.sql".
type Migration struct {
	Version int64
	Name    string
	SQL     string
}

// MigrationsTable records the applied migrations. The prefix keeps it apart from the
// schema_migrations table of other tools sharing the database.
const MigrationsTable = "loyalty_schema_migrations"

// LoadMigrations reads the *.sql files of dir in fsys, ordered by version.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, label, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: migration %q: want <version>_<name>.sql", name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read migration %q: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: label, SQL: string(b)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return cmp.Compare(a.Version, b.Version) })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("sqlstore: two migrations with version %d", out[i].Version)
		}
	}
	return out, nil
}

// ErrSchemaTooNew reports a database migrated by a newer version of loyalsync.
var ErrSchemaTooNew = sqlstore.ErrSchemaTooNew

// MigrationTable is a dialect's statements for MigrationsTable, which has the columns
// component, version, name and applied_at (defaulting to now), keyed by component and version.
type MigrationTable struct {
	// Create is CREATE TABLE IF NOT EXISTS MigrationsTable.
	Create string
	// HasComponent counts the columns named component of MigrationsTable: 0 in a table
	// created before components existed (version, name and applied_at only).
	HasComponent string
	// Upgrade turns such a table into the current one, its rows becoming the ledger's.
	Upgrade []string
	// Insert records a migration; arguments component, version, name.
	Insert string
}

// Set is the migrations of one component.
type Set struct {
	Component  string
	Migrations []Migration
}

// LoadSets reads the migration files of each set.
func LoadSets(sets []sqlstore.Migrations) ([]Set, error) {
	out := make([]Set, 0, len(sets))
	for _, m := range sets {
		ms, err := LoadMigrations(m.FS, m.Dir)
		if err != nil {
			return nil, fmt.Errorf("component %s: %w", m.Component, err)
		}
		out = append(out, Set{Component: m.Component, Migrations: ms})
	}
	return out, nil
}

// Applied names one migration Migrate applied.
type Applied struct {
	Component string
	Version   int64
}

// Migrate applies the migrations of each set that the database lacks, in order, inside txn.
// The caller has begun txn so that no other instance migrates at the same time (an advisory
// lock, BEGIN IMMEDIATE), and commits it. It returns the migrations it applied.
func Migrate(ctx context.Context, txn Conn, table MigrationTable, sets []Set) ([]Applied, error) {
	if err := ensureTable(ctx, txn, table); err != nil {
		return nil, err
	}
	var applied []Applied
	for _, set := range sets {
		rows, err := txn.Query(ctx, "SELECT version FROM "+MigrationsTable+" WHERE component = $1", set.Component)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read %s: %w", MigrationsTable, err)
		}
		done, err := collect(rows, func(r scanner) (v int64, err error) {
			err = r.Scan(&v)
			return v, err
		})
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read %s: %w", MigrationsTable, err)
		}
		latest := int64(0)
		if n := len(set.Migrations); n > 0 {
			latest = set.Migrations[n-1].Version
		}
		for _, v := range done {
			if v > latest {
				return nil, fmt.Errorf("%w: component %s has migration %d, this version knows up to %d",
					ErrSchemaTooNew, set.Component, v, latest)
			}
		}
		for _, m := range set.Migrations {
			if slices.Contains(done, m.Version) {
				continue
			}
			if _, err := txn.Exec(ctx, m.SQL); err != nil {
				return nil, fmt.Errorf("sqlstore: %s migration %d (%s): %w", set.Component, m.Version, m.Name, err)
			}
			if _, err := txn.Exec(ctx, table.Insert, set.Component, m.Version, m.Name); err != nil {
				return nil, fmt.Errorf("sqlstore: record %s migration %d: %w", set.Component, m.Version, err)
			}
			applied = append(applied, Applied{set.Component, m.Version})
		}
	}
	return applied, nil
}

// ensureTable creates MigrationsTable, or upgrades one from before components.
func ensureTable(ctx context.Context, txn Conn, table MigrationTable) error {
	if _, err := txn.Exec(ctx, table.Create); err != nil {
		return fmt.Errorf("sqlstore: create %s: %w", MigrationsTable, err)
	}
	var n int
	if err := txn.QueryRow(ctx, table.HasComponent).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: read %s: %w", MigrationsTable, err)
	}
	if n > 0 {
		return nil
	}
	for _, q := range table.Upgrade {
		if _, err := txn.Exec(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: upgrade %s: %w", MigrationsTable, err)
		}
	}
	return nil
}

// Apply loads the migrations of the sets and applies those the database lacks inside txn
// (see Migrate), then commits txn, or rolls it back on failure, and logs each applied
// migration. name prefixes errors and log messages ("sqlite", "postgres").
func Apply(ctx context.Context, txn Txn, table MigrationTable, sets []sqlstore.Migrations, logger *slog.Logger, name string) error {
	loaded, err := LoadSets(sets)
	var applied []Applied
	if err == nil {
		applied, err = Migrate(ctx, txn, table, loaded)
	}
	if err == nil {
		err = txn.Commit(ctx)
	} else {
		_ = txn.Rollback(ctx)
	}
	if err != nil {
		return fmt.Errorf("%s store: migrate: %w", name, err)
	}
	for _, a := range applied {
		logger.InfoContext(ctx, name+" store: applied migration", "component", a.Component, "version", a.Version)
	}
	return nil
}
