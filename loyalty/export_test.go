package loyalty

// SetPruneBatch sets how many rows of each kind Prune deletes per transaction.
func SetPruneBatch(e *Engine, n int) { e.pruneBatch = n }
