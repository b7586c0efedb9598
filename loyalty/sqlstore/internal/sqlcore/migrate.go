package sqlcore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
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
var ErrSchemaTooNew = errors.New("sqlstore: the database schema is newer than this version of loyalsync")

// Migrate applies the migrations the database lacks, in order, inside txn. The caller has begun
// txn so that no other instance migrates at the same time (an advisory lock, BEGIN IMMEDIATE),
// and commits it. createTable is the dialect's CREATE TABLE IF NOT EXISTS statement for
// MigrationsTable with columns version, name and applied_at, and insert its
// (version, name) insert statement (applied_at defaults to now). It returns the versions it
// applied.
func Migrate(ctx context.Context, txn Conn, migrations []Migration, createTable, insert string) ([]int64, error) {
	if _, err := txn.Exec(ctx, createTable); err != nil {
		return nil, fmt.Errorf("sqlstore: create %s: %w", MigrationsTable, err)
	}
	rows, err := txn.Query(ctx, "SELECT version FROM "+MigrationsTable)
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
	if len(migrations) > 0 {
		latest = migrations[len(migrations)-1].Version
	}
	for _, v := range done {
		if v > latest {
			return nil, fmt.Errorf("%w: it has migration %d, this version knows up to %d", ErrSchemaTooNew, v, latest)
		}
	}
	var applied []int64
	for _, m := range migrations {
		if slices.Contains(done, m.Version) {
			continue
		}
		if _, err := txn.Exec(ctx, m.SQL); err != nil {
			return nil, fmt.Errorf("sqlstore: migration %d (%s): %w", m.Version, m.Name, err)
		}
		if _, err := txn.Exec(ctx, insert, m.Version, m.Name); err != nil {
			return nil, fmt.Errorf("sqlstore: record migration %d: %w", m.Version, err)
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}

// Apply loads the migrations of dir in fsys and applies those the database lacks inside txn
// (see Migrate), then commits txn, or rolls it back on failure, and logs each applied version.
func Apply(ctx context.Context, txn Txn, fsys fs.FS, dir, createTable, insert string, logger *slog.Logger, name string) error {
	migrations, err := LoadMigrations(fsys, dir)
	var applied []int64
	if err == nil {
		applied, err = Migrate(ctx, txn, migrations, createTable, insert)
	}
	if err == nil {
		err = txn.Commit(ctx)
	} else {
		_ = txn.Rollback(ctx)
	}
	if err != nil {
		return fmt.Errorf("%s store: migrate: %w", name, err)
	}
	for _, v := range applied {
		logger.InfoContext(ctx, name+" store: applied migration", "version", v)
	}
	return nil
}
