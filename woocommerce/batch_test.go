package woocommerce

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoBatch answers a coupon batch with one object per item, failing the creates whose code
// starts with "dup".
func echoBatch(t *testing.T) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Create []struct {
				Code string `json:"code"`
			} `json:"create"`
			Update []struct {
				ID int64 `json:"id"`
			} `json:"update"`
			Delete []int64 `json:"delete"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		if n := len(req.Create) + len(req.Update) + len(req.Delete); n > MaxBatchItems {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = w.Write([]byte(`{"code":"woocommerce_rest_request_entity_too_large","message":"Unable to accept more than 100 items for this request.","data":{"status":413}}`))
			return
		}
		var out struct {
			Create []json.RawMessage `json:"create,omitempty"`
			Update []json.RawMessage `json:"update,omitempty"`
			Delete []json.RawMessage `json:"delete,omitempty"`
		}
		for _, c := range req.Create {
			if strings.HasPrefix(c.Code, "dup") {
				out.Create = append(out.Create, json.RawMessage(`{"id":0,"error":{"code":"woocommerce_rest_coupon_code_already_exists","message":"The coupon code already exists","data":{"status":400}}}`))
				continue
			}
			out.Create = append(out.Create, json.RawMessage(fmt.Sprintf(`{"id":1,"code":%q,"amount":"1.00"}`, c.Code)))
		}
		for _, u := range req.Update {
			out.Update = append(out.Update, json.RawMessage(fmt.Sprintf(`{"id":%d,"description":"an error field in text is not an error"}`, u.ID)))
		}
		for _, id := range req.Delete {
			out.Delete = append(out.Delete, json.RawMessage(fmt.Sprintf(`{"id":%d}`, id)))
		}
		_ = json.NewEncoder(w).Encode(out)
	}
}

func TestBatchSplitsIntoChunksOf100(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, echoBatch(t))
	b := &Batch[CouponRequest]{}
	for i := range 150 {
		code := fmt.Sprintf("c%d", i)
		if i == 7 || i == 120 {
			code = fmt.Sprintf("dup%d", i)
		}
		b.Create = append(b.Create, CouponRequest{Code: Ptr(code)})
	}
	for i := range 60 {
		b.Update = append(b.Update, BatchUpdate[CouponRequest]{ID: int64(1000 + i), Changes: CouponRequest{Amount: Ptr(MustMoney("2"))}})
	}
	for i := range 30 {
		b.Delete = append(b.Delete, int64(2000+i))
	}
	res, err := c.Coupons.Batch(t.Context(), b)
	require.Len(t, seen.all(), 3, "240 items need 3 requests")
	for _, r := range seen.all() {
		var body map[string][]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(r.body), &body))
		assert.LessOrEqual(t, len(body["create"])+len(body["update"])+len(body["delete"]), MaxBatchItems)
	}

	// A 200 with failed items is not success: the error lists them, the successes are kept.
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrAlreadyExists)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Items, 2)
	assert.Equal(t, BatchOpCreate, be.Items[0].Op)
	assert.Equal(t, 7, be.Items[0].Index)
	assert.Equal(t, 120, be.Items[1].Index, "indexes refer to the caller's slice across chunks")
	assert.Equal(t, "woocommerce_rest_coupon_code_already_exists", be.Items[1].Code)
	assert.Equal(t, 400, be.Items[1].Data.Status)
	assert.Len(t, res.Created, 148)
	assert.Len(t, res.Updated, 60)
	assert.Len(t, res.Deleted, 30)
	assert.Equal(t, "c8", res.Created[7].Code, "successes stay in request order")
	assert.Equal(t, int64(1059), res.Updated[59].ID)
}

func TestBatchItemErrorsInGoldenResponse(t *testing.T) {
	t.Parallel()
	var resp batchResponse[Coupon]
	require.NoError(t, json.Unmarshal(readTestdata(t, "batch_item_errors.json"), &resp))
	var errs []*BatchItemError
	created := collect(nil, resp.Create, BatchOpCreate, 0, &errs)
	updated := collect(nil, resp.Update, BatchOpUpdate, 0, &errs)
	require.Len(t, created, 1)
	require.Len(t, updated, 1)
	assert.Equal(t, "error handling is documented", updated[0].Description)
	require.Len(t, errs, 2)
	assert.Equal(t, int64(99999), errs[1].ID)
	assert.ErrorIs(t, errs[1], ErrNotFound)
	assert.ErrorIs(t, errs[0], ErrAlreadyExists)
}

func TestBatchChunkFailureReturnsEarlierSuccesses(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, _ := newTestStore(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"code":"internal_server_error","message":"boom","data":{"status":500}}`))
			return
		}
		echoBatch(t)(w, r)
	})
	b := &Batch[CouponRequest]{}
	for i := range 250 {
		b.Delete = append(b.Delete, int64(i+1))
	}
	res, err := c.Coupons.Batch(t.Context(), b)
	require.ErrorIs(t, err, ErrServer)
	assert.Len(t, res.Deleted, 100)
	assert.Equal(t, int32(2), calls.Load(), "a failed batch is not retried and later chunks are not sent")
}

func TestBatchUpdateMarshal(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(BatchUpdate[CouponRequest]{ID: 5, Changes: CouponRequest{Code: Ptr("x")}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":5,"code":"x"}`, string(b))
	b, err = json.Marshal(BatchUpdate[CouponRequest]{ID: 5})
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":5}`, string(b))
	_, err = json.Marshal(BatchUpdate[[]int]{ID: 1, Changes: []int{1}})
	assert.Error(t, err)
}
