// Package postgres is a loyalty.Store in a PostgreSQL database, through database/sql and
// github.com/jackc/pgx/v5/stdlib: the backend for several engine instances sharing one
// database.
package postgres
