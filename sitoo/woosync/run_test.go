package woosync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
)

func TestRun_LogProgressAndRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	_, err := e.syncer.Run(e.ctx, woosync.StepSendCategories, nil)
	require.ErrorIs(t, err, woosync.ErrNotConfigured)
	e.connect(nil)
	_, err = e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepSendCategories, "make_coffee"}, nil)
	require.ErrorIs(t, err, woosync.ErrUnknownStep)

	e.sitoo.AddCategory(1, sitoo.Category{Title: "A"})
	e.sitoo.AddCategory(1, sitoo.Category{Title: "B"})
	var seen []woosync.Progress
	rep, err := e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepMatchCategories, woosync.StepFetchCategories},
		func(p woosync.Progress) { seen = append(seen, p) })
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Steps[1].Done)
	require.NotEmpty(t, seen)
	last := seen[len(seen)-1]
	assert.Equal(t, woosync.Progress{Step: woosync.StepFetchCategories, Index: 2, Steps: 2, Done: 2, Total: 2}, last)

	runs, err := e.syncer.Runs(e.ctx, 10)
	require.NoError(t, err)
	require.Len(t, runs, 1, "refused runs are not logged; the full sync is")
	assert.Equal(t, "full sync", runs[0].Operation)
	assert.Equal(t, 2, runs[0].Done)
	assert.Empty(t, runs[0].Err)

	require.NoError(t, e.syncer.Pause(e.ctx))
	_, err = e.syncer.Run(e.ctx, woosync.StepSendCategories, nil)
	require.ErrorIs(t, err, woosync.ErrPaused)
}
