package adapter

import "time"

// Micros stores t as Unix microseconds; the zero time is 0.
func Micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// FromMicros reads a time stored by Micros, in UTC; 0 is the zero time.
func FromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

// BoolInt stores a flag as 0 or 1.
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RowScanner is a *sql.Row or *sql.Rows.
type RowScanner interface{ Scan(dest ...any) error }
