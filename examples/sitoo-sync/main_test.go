package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun_DemoFullSyncWithProgressBar(t *testing.T) {
	t.Setenv("WOO_URL", "")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-products", "120", "-variants", "3"}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	s := out.String()
	assert.Contains(t, s, "[##############################] 3/4 send_products")
	assert.Contains(t, s, "send_products          done    120")
	assert.Contains(t, s, "mapped: 3 categories, 120 products, 360 variations")
	assert.NotContains(t, s, "failed    1")
}

func TestRun_LinesWithoutBar(t *testing.T) {
	t.Setenv("WOO_URL", "")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-products", "5", "-variants", "0", "-no-progress", "-steps", "send_products,send_stock"}, &out, &out)
	require.NoError(t, err)
	assert.NotContains(t, out.String(), "\r")
	assert.Contains(t, out.String(), "1/2 send_products: 5/5\n")
	assert.Contains(t, out.String(), "mapped: 0 categories, 5 products, 0 variations")
}

func TestRun_Refusals(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-woo-url", "https://shop.example"}, &out, &out)
	require.ErrorContains(t, err, "against real servers")
	t.Setenv("WOO_URL", "")
	err = run(context.Background(), []string{"-key", "abc", "-products", "1"}, &out, &out)
	require.ErrorContains(t, err, "64 hex")
	err = run(context.Background(), []string{"-products", "1", "-steps", "brew"}, &out, &out)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "unknown step"))
}

func TestRun_OrdersAndAutosync(t *testing.T) {
	t.Setenv("WOO_URL", "")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-products", "3", "-variants", "0", "-no-progress", "-orders", "7",
		"-steps", "send_products,fetch_store2door_orders,send_cac_orders", "-cac-method", "local_pickup",
		"-fetch-orders", "all", "-autosync", "-autosync-ticks", "1"}, &out, &out)
	require.NoError(t, err, out.String())
	s := out.String()
	assert.Contains(t, s, "fetch_store2door_orders done      7")
	assert.Contains(t, s, "send_cac_orders        done      0")
	assert.Contains(t, s, "autosync orders    done      0  skipped      0")
	assert.Contains(t, s, "autosync cac       done      0")
}
