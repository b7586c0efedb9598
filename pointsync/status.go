package pointsync

import "time"

// Status is the health of a remote, shown in the remote sites list.
type Status string

// The statuses of a remote.
const (
	// StatusGreen: the last attempts succeeded, and no error happened in the warning period.
	StatusGreen Status = "green"
	// StatusWarning: attempts are failing but fewer than MaxAttempts in a row, or the last error
	// is less than WarningPeriodDays old (and inside the statistics period).
	StatusWarning Status = "warning"
	// StatusError: MaxAttempts attempts in a row failed. Automatic delivery is paused until a ping
	// succeeds or the operator retries; the queue is kept.
	StatusError Status = "error"
)

// ComputeStatus derives a remote's status from its delivery record, the advanced settings and
// the time now:
//
//   - StatusError when Failures ≥ MaxAttempts, however old the errors: a paused remote never
//     shows green;
//   - otherwise StatusWarning when Failures > 0, or when the last error is younger than both the
//     warning period and the statistics period (older errors are ignored);
//   - otherwise StatusGreen.
func ComputeStatus(st RemoteState, adv Advanced, now time.Time) Status {
	if st.Failures >= max(adv.MaxAttempts, 1) {
		return StatusError
	}
	if st.Failures > 0 {
		return StatusWarning
	}
	if st.LastErrorAt.IsZero() {
		return StatusGreen
	}
	age := now.Sub(st.LastErrorAt)
	const day = 24 * time.Hour
	if age < time.Duration(adv.StatsPeriodDays)*day && age < time.Duration(adv.WarningPeriodDays)*day {
		return StatusWarning
	}
	return StatusGreen
}

// Paused reports whether automatic delivery to a remote with this record is paused.
func Paused(st RemoteState, adv Advanced) bool { return st.Failures >= max(adv.MaxAttempts, 1) }
