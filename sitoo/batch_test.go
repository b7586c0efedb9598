package sitoo

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeBatchResponse(t *testing.T) {
	t.Parallel()
	rs, err := decodeBatchResponse([]byte(`[{"statuscode":200,"return":28},{"statuscode":400,"errortext":"Invalid value"},
		{"statuscode":200,"return":true},{"statuscode":404,"return":"No such product"},{"statuscode":200,"return":"{A-B}"}]`), 5, 10)
	require.NoError(t, err)
	require.Len(t, rs, 5)
	assert.Equal(t, int64(28), rs[0].ID)
	assert.Equal(t, 10, rs[0].Index)
	assert.True(t, rs[0].OK())

	var ie *ItemError
	require.ErrorAs(t, rs[1].Err, &ie)
	assert.Equal(t, 11, ie.Index)
	assert.Equal(t, "Invalid value", ie.Message)
	assert.ErrorIs(t, rs[1].Err, ErrBadRequest)
	assert.Equal(t, json.RawMessage("true"), rs[2].Return)
	assert.Zero(t, rs[2].ID)
	assert.ErrorIs(t, rs[3].Err, ErrNotFound)
	assert.Contains(t, rs[3].Err.Error(), "No such product")
	s, ok := rs[4].ReturnString()
	assert.True(t, ok)
	assert.Equal(t, "{A-B}", s)

	joined := BatchResults(rs).Err()
	assert.ErrorIs(t, joined, ErrBadRequest)
	assert.ErrorIs(t, joined, ErrNotFound)
	assert.Equal(t, []int64{28}, BatchResults(rs).IDs())
	assert.NoError(t, BatchResults(rs[:1]).Err())

	// A single item may come back as the bare value.
	rs, err = decodeBatchResponse([]byte(` 42 `), 1, 3)
	require.NoError(t, err)
	assert.Equal(t, int64(42), rs[0].ID)
	assert.Equal(t, 3, rs[0].Index)
	rs, err = decodeBatchResponse([]byte(`"{GUID}"`), 1, 0)
	require.NoError(t, err)
	s, _ = rs[0].ReturnString()
	assert.Equal(t, "{GUID}", s)

	for _, bad := range []struct {
		body string
		n    int
	}{{`42`, 2}, {`[{"statuscode":200,"return":1}]`, 2}, {`[1,2,3]`, 2}, {``, 1}, {`{"a":`, 1}, {`[`, 1}} {
		_, err := decodeBatchResponse([]byte(bad.body), bad.n, 0)
		assert.ErrorIs(t, err, ErrBatchMismatch, bad.body)
	}
	// A result that is not an object is an item error, not a panic.
	rs, err = decodeBatchResponse([]byte(`[7]`), 1, 0)
	require.NoError(t, err)
	require.Error(t, rs[0].Err)
}

func TestSplitAndPackTransactions(t *testing.T) {
	t.Parallel()
	tx := func(n int, ext string) WarehouseTransactionRequest {
		return WarehouseTransactionRequest{WarehouseID: 1, TransactionType: 10, ExternalID: ext, Items: make([]TransactionItem, n)}
	}
	parts, index := splitTransactions([]WarehouseTransactionRequest{tx(1000, "A"), tx(1001, "B"), tx(1, "")}, 1000)
	require.Len(t, parts, 4)
	assert.Equal(t, []int{0, 1, 1, 2}, index)
	assert.Equal(t, []string{"A", "B", "B-2", ""}, []string{parts[0].ExternalID, parts[1].ExternalID, parts[2].ExternalID, parts[3].ExternalID})
	assert.Len(t, parts[2].Items, 1)
	assert.Equal(t, []span{{0, 1}, {1, 2}, {2, 4}}, packTransactions(parts, 1000))
	assert.Nil(t, packTransactions(nil, 1000))
}

func FuzzDecodeBatchResponse(f *testing.F) {
	for _, s := range []string{`[{"statuscode":200,"return":28},{"statuscode":200,"return":29}]`, `true`, `28`,
		`[{"statuscode":400,"errortext":"Invalid value"}]`, `[{"statuscode":"200"}]`, `[null]`, `[]`, `{}`} {
		f.Add([]byte(s), uint8(2))
	}
	f.Fuzz(func(t *testing.T, body []byte, n uint8) {
		rs, err := decodeBatchResponse(body, int(n), 5)
		if len(rs) > int(n) {
			t.Fatalf("%d results for %d items", len(rs), n)
		}
		if err == nil && len(rs) != int(n) {
			t.Fatalf("no error but %d results for %d items", len(rs), n)
		}
		if err != nil && !errors.Is(err, ErrBatchMismatch) {
			t.Fatalf("unexpected error %v", err)
		}
		for i, r := range rs {
			if r.Index != 5+i {
				t.Fatalf("result %d has index %d", i, r.Index)
			}
			if (r.StatusCode < 200 || r.StatusCode > 299) && r.Err == nil {
				t.Fatalf("failed result %d without error", i)
			}
		}
	})
}

func FuzzEnvelope(f *testing.F) {
	for _, s := range []string{`{"totalcount":2,"items":[{"productid":1,"sku":"A","moneyprice":"1.00","categories":[1,"2"],"datecreated":1373026247}]}`,
		`{"totalcount":1514,"items":[{"orderid":11513,"orderdate":1463041119,"orderitems":[{"quantity":1,"vatvalue":6}]}]}`,
		`{"items":null}`, `[]`, `{"totalcount":"x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p envelope[Product]
		if json.Unmarshal(data, &p) == nil {
			for _, it := range p.Items {
				if _, err := json.Marshal(it); err != nil && !errors.As(err, new(*PrecisionError)) {
					t.Fatalf("decoded product does not encode: %v", err)
				}
			}
		}
		var o envelope[Order]
		_ = json.Unmarshal(data, &o)
		var w envelope[WarehouseTransaction]
		_ = json.Unmarshal(data, &w)
	})
}
