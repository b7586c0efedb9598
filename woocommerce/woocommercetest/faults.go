package woocommercetest

import (
	"time"

	"github.com/loyalsync/loyalsync/internal/faults"
)

// FaultRule is one scripted fault for Server.Faults: match a method and a path (exact, or a prefix
// ending in "*"), for Times requests after Skip, and answer with a Status (plus Header and Body),
// add Latency, Drop the connection, or ApplyThenDrop — make the change, then drop the connection so
// the client sees a network error. It is the shared fault injector's rule type.
type FaultRule = faults.Rule

// FaultInjector holds the active fault rules of a Server; Add, Reset and Injected script it.
type FaultInjector = faults.Injector

// Status429 is a FaultRule answering 429 Too Many Requests with a Retry-After of retryAfter
// (whole seconds), for every matching request until Times is set.
func Status429(retryAfter time.Duration) FaultRule { return faults.Status429(retryAfter) }
