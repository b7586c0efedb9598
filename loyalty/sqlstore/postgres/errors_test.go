package postgres

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"

	"github.com/loyalsync/loyalsync/loyalty"
)

func TestMapError(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]error{
		"40001": loyalty.ErrConflict,
		"40P01": loyalty.ErrConflict,
		"55P03": loyalty.ErrConflict,
		"23505": loyalty.ErrDuplicateKey,
		"23503": loyalty.ErrNotFound,
	} {
		pe := &pgconn.PgError{Code: code, Message: "m"}
		err := mapError(fmt.Errorf("wrapped: %w", pe))
		assert.ErrorIs(t, err, want, code)
		var got *pgconn.PgError
		assert.True(t, errors.As(err, &got), "%s: the driver error stays reachable", code)
	}
	other := &pgconn.PgError{Code: "22P02"}
	assert.Same(t, error(other), mapError(other))
	plain := errors.New("no server")
	assert.Same(t, plain, mapError(plain))
}
