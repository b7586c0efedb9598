package rest

import (
	"context"
	"iter"
)

// PageFunc fetches the page at cursor and returns its items, the cursor of the next page, and
// whether there is one.
type PageFunc[T, C any] func(ctx context.Context, cursor C) (items []T, next C, more bool, err error)

// Pages walks every page lazily: it fetches a page only when the previous one has been consumed,
// stops as soon as the consumer breaks, yields (zero, err) once and stops on the first error, and
// checks ctx between pages. An empty page ends the walk even when fetch reports more, so a server
// that keeps announcing pages it does not deliver cannot make the loop spin forever.
func Pages[T, C any](ctx context.Context, first C, fetch PageFunc[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cursor := first
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, more, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more || len(items) == 0 {
				return
			}
			cursor = next
		}
	}
}
