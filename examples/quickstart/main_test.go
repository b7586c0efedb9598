package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, run(t.Context(), &out))
	assert.Contains(t, out.String(), "GET /wp-json/wc/v3/products/794 through the shared HTTP core: status 200 after 2 attempts")
	assert.Contains(t, out.String(), `product #794 "Blue shirt" costs 19.90 `)
	assert.Contains(t, out.String(), "internal/rest")
}
