package rest

import (
	"context"
	"iter"
)

// MaxEmptyPages is how many empty pages in a row end a Pages walk.
const MaxEmptyPages = 3

// PageFunc fetches the page at cursor and returns its items, the cursor of the next page, and
// whether there is one.
type PageFunc[T, C any] func(ctx context.Context, cursor C) (items []T, next C, more bool, err error)

// Pages walks every page lazily: it fetches a page only when the previous one has been consumed,
// stops as soon as the consumer breaks, yields (zero, err) once and stops on the first error, and
// checks ctx between pages. A single empty page does not end the walk (items deleted between two
// requests can empty a page), but MaxEmptyPages empty pages in a row do, so a server that keeps
// announcing pages it never delivers cannot make the loop spin forever.
func Pages[T, C any](ctx context.Context, first C, fetch PageFunc[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cursor := first
		empty := 0
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
			if len(items) == 0 {
				empty++
			} else {
				empty = 0
			}
			if !more || empty >= MaxEmptyPages {
				return
			}
			cursor = next
		}
	}
}
