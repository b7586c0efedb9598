package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
)

// benchStore opens a store in a fresh schema, and a bare insert transaction on a table of the
// same schema through a plain database/sql pool.
func benchStore(b *testing.B, opts ...postgres.Option) (*postgres.Store, sqltest.BareInsert) {
	b.Helper()
	dsn := pgtest.DSN(b)
	schema := pgtest.FreshSchema(b, dsn)
	s, err := postgres.Open(b.Context(), dsn, append([]postgres.Option{postgres.WithSchema(schema)}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	table := pgx.Identifier{schema, "bench_insert"}.Sanitize()
	if _, err := db.Exec("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, payload text NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	insert := "INSERT INTO " + table + " (payload) VALUES ($1)"
	return s, func(ctx context.Context, i int) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insert, "order event payload"); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
}

func BenchmarkPostgresOrderEvents(b *testing.B) {
	s, bare := benchStore(b)
	sqltest.BenchOrderEvents(b, s, bare)
}

func BenchmarkPostgresOrderEventsParallel(b *testing.B) {
	s, bare := benchStore(b)
	sqltest.BenchOrderEventsParallel(b, s, bare)
}

// BenchmarkPostgresContention compares the Concurrency settings with two instances racing on
// few (10) or many (1,000) customers' accounts.
func BenchmarkPostgresContention(b *testing.B) {
	for _, cc := range []postgres.Concurrency{postgres.RowLocks, postgres.Optimistic, postgres.Serializable} {
		for _, customers := range []int{10, 1000} {
			b.Run(fmt.Sprintf("%s/customers=%d", cc, customers), func(b *testing.B) {
				dsn := pgtest.DSN(b)
				schema := pgtest.FreshSchema(b, dsn)
				open := func() *postgres.Store {
					s, err := postgres.Open(b.Context(), dsn, postgres.WithSchema(schema), postgres.WithConcurrency(cc))
					if err != nil {
						b.Fatal(err)
					}
					b.Cleanup(func() { s.Close() })
					return s
				}
				sqltest.BenchContention(b, open(), open(), customers)
			})
		}
	}
}
