package rest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageSource serves pages of consecutive ints and records which pages were fetched.
type pageSource struct {
	pages   [][]int
	fetched []int
	failAt  int // page number that fails; 0 never
}

func (s *pageSource) fetch(_ context.Context, page int) ([]int, int, bool, error) {
	s.fetched = append(s.fetched, page)
	if page == s.failAt {
		return nil, 0, false, fmt.Errorf("page %d: %w", page, errBoom)
	}
	return s.pages[page-1], page + 1, page < len(s.pages), nil
}

var errBoom = errors.New("boom")

func TestPagesWalksEveryPage(t *testing.T) {
	t.Parallel()
	src := &pageSource{pages: [][]int{{1, 2}, {}, {3}, {4, 5}}}
	var got []int
	for v, err := range Pages(t.Context(), 1, src.fetch) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
	assert.Equal(t, []int{1, 2, 3, 4}, src.fetched, "an empty page in the middle does not end the walk")
}

func TestPagesIsLazy(t *testing.T) {
	t.Parallel()
	src := &pageSource{pages: [][]int{{1, 2}, {3, 4}, {5}}}
	next, stop := iter.Pull2(Pages(t.Context(), 1, src.fetch))
	defer stop()
	assert.Empty(t, src.fetched, "nothing is fetched before the first item is asked for")
	v, _, _ := next()
	assert.Equal(t, 1, v)
	v, _, _ = next()
	assert.Equal(t, 2, v)
	assert.Equal(t, []int{1}, src.fetched, "the second page is not fetched before the first is consumed")
	v, _, _ = next()
	assert.Equal(t, 3, v)
	assert.Equal(t, []int{1, 2}, src.fetched)
}

func TestPagesStopsOnBreak(t *testing.T) {
	t.Parallel()
	src := &pageSource{pages: [][]int{{1, 2}, {3, 4}, {5}}}
	var got []int
	for v, err := range Pages(t.Context(), 1, src.fetch) {
		require.NoError(t, err)
		got = append(got, v)
		if v == 3 {
			break
		}
	}
	assert.Equal(t, []int{1, 2, 3}, got)
	assert.Equal(t, []int{1, 2}, src.fetched, "no page is fetched after the consumer stops")
}

func TestPagesYieldsErrorOnceThenStops(t *testing.T) {
	t.Parallel()
	src := &pageSource{pages: [][]int{{1}, {2}, {3}}, failAt: 2}
	var got []int
	var errs []error
	for v, err := range Pages(t.Context(), 1, src.fetch) {
		if err != nil {
			errs = append(errs, err)
			assert.Zero(t, v)
			continue // a consumer that carries on still gets nothing more
		}
		got = append(got, v)
	}
	assert.Equal(t, []int{1}, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], errBoom)
	assert.Equal(t, []int{1, 2}, src.fetched)
}

func TestPagesHonoursCancellationBetweenPages(t *testing.T) {
	t.Parallel()
	src := &pageSource{pages: [][]int{{1, 2}, {3}}}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var got []int
	var errs []error
	for v, err := range Pages(ctx, 1, src.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v)
		if v == 2 {
			cancel() // after the last item of page 1
		}
	}
	assert.Equal(t, []int{1, 2}, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, []int{1}, src.fetched, "page 2 is never requested")

	src = &pageSource{pages: [][]int{{1}}}
	for range Pages(ctx, 1, src.fetch) {
	}
	assert.Empty(t, src.fetched, "an already cancelled walk fetches nothing")
}

func TestPagesOverClient(t *testing.T) {
	t.Parallel()
	const totalPages = 3
	var hits countingHits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.add(r)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		w.Header().Set("X-WP-TotalPages", strconv.Itoa(totalPages))
		_, _ = fmt.Fprintf(w, `[{"id":%d},{"id":%d}]`, page*10+1, page*10+2)
	})
	c := newTestClient(t, srv, nil)
	type item struct{ ID int }
	type opts struct {
		Page    int `url:"page"`
		PerPage int `url:"per_page"`
	}
	fetch := func(ctx context.Context, page int) ([]item, int, bool, error) {
		var items []item
		resp, err := c.Do(ctx, &Request{Path: "products", Query: opts{Page: page, PerPage: 2}}, &items)
		if err != nil {
			return nil, 0, false, err
		}
		total, _ := strconv.Atoi(resp.Header.Get("X-WP-TotalPages"))
		return items, page + 1, page < total, nil
	}
	var ids []int
	for it, err := range Pages(t.Context(), 1, fetch) {
		require.NoError(t, err)
		ids = append(ids, it.ID)
	}
	assert.Equal(t, []int{11, 12, 21, 22, 31, 32}, ids)
	assert.Equal(t, totalPages, hits.count())
	assert.True(t, slices.IsSorted(ids))
}

func TestPagesStopsOnEmptyPageThatClaimsMore(t *testing.T) {
	t.Parallel()
	calls := 0
	seq := Pages(context.Background(), 1, func(_ context.Context, page int) ([]int, int, bool, error) {
		calls++
		if page == 1 {
			return []int{1, 2}, 2, true, nil
		}
		return nil, page + 1, true, nil // a server announcing pages it never delivers
	})
	var got []int
	for v, err := range seq {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2}, got)
	assert.Equal(t, 1+MaxEmptyPages, calls)
}
