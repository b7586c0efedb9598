package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

func testRedemptionIdempotencyKeys(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	red := func(id, program, key string) loyalty.Redemption {
		return loyalty.Redemption{ID: id, ProgramID: program, MemberID: "m", Code: "C-" + id, State: loyalty.RedemptionReserved,
			IdempotencyKey: key, CreatedAt: epoch}
	}
	update(t, s, func(tx loyalty.Tx) error {
		for _, r := range []loyalty.Redemption{red("r1", "card", "k"), red("r2", "other", "k"), red("r3", "card", ""), red("r4", "card", "")} {
			if _, err := tx.CreateRedemption(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	err := s.Update(ctx, func(tx loyalty.Tx) error {
		_, err := tx.CreateRedemption(ctx, red("r5", "card", "k"))
		return err
	})
	assert.ErrorIs(t, err, loyalty.ErrDuplicateKey, "one redemption per program and key")
	update(t, s, func(tx loyalty.Tx) error {
		r, err := tx.Redemption(ctx, "r1")
		require.NoError(t, err)
		r.State, r.IdempotencyKey = loyalty.RedemptionIssued, "changed"
		return tx.UpdateRedemption(ctx, r, loyalty.RedemptionReserved)
	})
	view(t, s, func(tx loyalty.ReadTx) error {
		r, err := tx.RedemptionByKey(ctx, "card", "k")
		require.NoError(t, err)
		assert.Equal(t, "r1", r.ID)
		assert.Equal(t, "k", r.IdempotencyKey, "the key is immutable")
		r, err = tx.RedemptionByKey(ctx, "other", "k")
		require.NoError(t, err)
		assert.Equal(t, "r2", r.ID)
		_, err = tx.RedemptionByKey(ctx, "card", "")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "an empty key matches nothing")
		_, err = tx.RedemptionByKey(ctx, "card", "changed")
		assert.ErrorIs(t, err, loyalty.ErrNotFound)
		return nil
	})
}

func testSettings(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	view(t, s, func(tx loyalty.ReadTx) error {
		_, err := tx.Setting(ctx, "secret")
		assert.ErrorIs(t, err, loyalty.ErrNotFound)
		return nil
	})
	value := []byte{0, 1, 2, 255, 'x'}
	update(t, s, func(tx loyalty.Tx) error { return tx.CreateSetting(ctx, "secret", value) })
	err := s.Update(ctx, func(tx loyalty.Tx) error { return tx.CreateSetting(ctx, "secret", []byte("other")) })
	assert.ErrorIs(t, err, loyalty.ErrDuplicateKey, "a setting is written once")
	view(t, s, func(tx loyalty.ReadTx) error {
		got, err := tx.Setting(ctx, "secret")
		require.NoError(t, err)
		assert.Equal(t, value, got)
		return nil
	})
}

func testReceiptCountsAndPrune(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	update(t, s, func(tx loyalty.Tx) error {
		for i, st := range []string{"a", "b", "a", "b"} {
			if err := tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "card", Store: st, Outcome: loyalty.OutcomeFailed,
				Reason: "bad signature " + st, ReceivedAt: epoch.Add(time.Duration(i) * time.Hour)}); err != nil {
				return err
			}
			if err := tx.AppendActivity(ctx, loyalty.ActivityEntry{ProgramID: "card", Kind: loyalty.ActivityConnected,
				Message: "m", At: epoch.Add(time.Duration(i) * time.Hour)}); err != nil {
				return err
			}
		}
		if err := tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "card", Store: "a", Outcome: loyalty.OutcomeProcessed,
			ReceivedAt: epoch.Add(5 * time.Hour)}); err != nil {
			return err
		}
		return tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "other", Store: "a", Outcome: loyalty.OutcomeFailed, ReceivedAt: epoch})
	})
	var latest loyalty.Receipt
	view(t, s, func(tx loyalty.ReadTx) error {
		var err error
		latest, err = tx.LatestReceipt(ctx, "card", "a", loyalty.OutcomeFailed)
		require.NoError(t, err)
		assert.Equal(t, epoch.Add(2*time.Hour), latest.ReceivedAt)
		assert.Equal(t, 1, latest.Count, "a receipt stands for one delivery by default")
		_, err = tx.LatestReceipt(ctx, "card", "c", loyalty.OutcomeFailed)
		assert.ErrorIs(t, err, loyalty.ErrNotFound)
		return nil
	})
	last := epoch.Add(2*time.Hour + 30*time.Second)
	update(t, s, func(tx loyalty.Tx) error { return tx.AddReceiptCount(ctx, latest.Seq, 4, last) })
	err := s.Update(ctx, func(tx loyalty.Tx) error { return tx.AddReceiptCount(ctx, latest.Seq+1000, 1, last) })
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	view(t, s, func(tx loyalty.ReadTx) error {
		r, err := tx.LatestReceipt(ctx, "card", "a", loyalty.OutcomeFailed)
		require.NoError(t, err)
		assert.Equal(t, 5, r.Count)
		assert.Equal(t, last, r.LastAt)
		counts, err := tx.CountReceipts(ctx, "card", epoch)
		require.NoError(t, err)
		assert.Equal(t, loyalty.ReceiptCounts{loyalty.OutcomeFailed: 8, loyalty.OutcomeProcessed: 1}, counts)
		return nil
	})

	var pruned loyalty.PruneCounts
	update(t, s, func(tx loyalty.Tx) (err error) {
		pruned, err = tx.Prune(ctx, "card", epoch.Add(2*time.Hour), 1)
		return err
	})
	assert.Equal(t, loyalty.PruneCounts{Receipts: 1, Activity: 1}, pruned, "at most the limit, oldest first")
	view(t, s, func(tx loyalty.ReadTx) error {
		rs, err := tx.Receipts(ctx, "card", "", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		require.Len(t, rs, 4)
		assert.Equal(t, epoch.Add(time.Hour), rs[3].ReceivedAt, "the oldest went first")
		return nil
	})
	update(t, s, func(tx loyalty.Tx) (err error) {
		pruned, err = tx.Prune(ctx, "card", epoch.Add(2*time.Hour), 100)
		return err
	})
	assert.Equal(t, loyalty.PruneCounts{Receipts: 1, Activity: 1}, pruned)
	view(t, s, func(tx loyalty.ReadTx) error {
		rs, err := tx.Receipts(ctx, "card", "", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Len(t, rs, 3, "the receipts from the bound on stay")
		as, err := tx.Activity(ctx, "card", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Len(t, as, 2)
		other, err := tx.Receipts(ctx, "other", "", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Len(t, other, 1, "other programs are untouched")
		return nil
	})
}
