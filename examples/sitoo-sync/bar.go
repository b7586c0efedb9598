package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo/woosync"
)

// bar draws the sync's progress: a bar redrawn in place ("\r") per step, or one line per step.
type bar struct {
	out  io.Writer
	draw bool
	last woosync.Progress
	seen bool
}

func newBar(out io.Writer, draw bool) *bar { return &bar{out: out, draw: draw} }

const barWidth = 30

func (b *bar) update(p woosync.Progress) {
	if b.seen && p.Step != b.last.Step {
		b.endStep()
	}
	b.last, b.seen = p, true
	if !b.draw {
		return
	}
	fill := 0
	if p.Total > 0 {
		fill = min(barWidth, p.Done*barWidth/p.Total)
	}
	fmt.Fprintf(b.out, "\r[%s%s] %d/%d %-20s %d/%d", strings.Repeat("#", fill), strings.Repeat(".", barWidth-fill),
		p.Index, p.Steps, p.Step, p.Done, p.Total)
}

// endStep finishes the current step's line.
func (b *bar) endStep() {
	if b.draw {
		fmt.Fprintln(b.out)
		return
	}
	fmt.Fprintf(b.out, "%d/%d %s: %d/%d\n", b.last.Index, b.last.Steps, b.last.Step, b.last.Done, b.last.Total)
}

func (b *bar) finish() {
	if b.seen {
		b.endStep()
	}
}
