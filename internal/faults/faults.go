package faults

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rule is one scripted fault.
type Rule struct {
	// Method matches the request method; empty matches any.
	Method string
	// Path matches the request path exactly, or as a prefix when it ends in "*"; empty matches any.
	Path string
	// Times is how many matching requests the rule affects; 0 means every one until removed.
	Times int
	// Skip lets this many matching requests through before the rule starts to apply.
	Skip int

	// Latency delays the request (before any other effect); it ends early if the client goes away.
	Latency time.Duration
	// Status, if non-zero, answers with this status, Header and Body without calling the handler.
	Status int
	Header http.Header
	Body   string
	// Drop closes the connection without an answer and without calling the handler.
	Drop bool
	// ApplyThenDrop calls the handler (so its state changes) and then drops the connection instead
	// of sending the response.
	ApplyThenDrop bool
}

// Status429 is a rule answering 429 Too Many Requests with a Retry-After of retryAfter (whole seconds).
func Status429(retryAfter time.Duration) Rule {
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	return Rule{Status: http.StatusTooManyRequests, Header: h}
}

// Injector holds the active rules. The zero value is ready to use and injects nothing.
type Injector struct {
	mu    sync.Mutex
	rules []*active
	hits  int
}

type active struct {
	Rule
	seen, applied int
}

// Add activates a rule. Rules are tried in the order they were added; the first that applies wins.
func (in *Injector) Add(r Rule) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = append(in.rules, &active{Rule: r})
}

// Reset removes every rule.
func (in *Injector) Reset() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = nil
}

// Injected returns how many requests a rule has affected so far.
func (in *Injector) Injected() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.hits
}

func (in *Injector) match(r *http.Request) (Rule, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, a := range in.rules {
		if a.Method != "" && !strings.EqualFold(a.Method, r.Method) {
			continue
		}
		if !pathMatches(a.Path, r.URL.Path) {
			continue
		}
		a.seen++
		if a.seen <= a.Skip {
			continue
		}
		a.applied++
		in.hits++
		if a.Times > 0 && a.applied >= a.Times {
			in.rules = append(in.rules[:i:i], in.rules[i+1:]...)
		}
		return a.Rule, true
	}
	return Rule{}, false
}

func pathMatches(pattern, path string) bool {
	if pattern == "" {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	return pattern == path
}

// Wrap returns next with the injector's rules applied in front of it.
func (in *Injector) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule, ok := in.match(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if rule.Latency > 0 && !sleep(r.Context(), rule.Latency) {
			return
		}
		switch {
		case rule.Drop:
			panic(http.ErrAbortHandler) // net/http closes the connection without a response
		case rule.ApplyThenDrop:
			next.ServeHTTP(httptest.NewRecorder(), r)
			panic(http.ErrAbortHandler)
		case rule.Status != 0:
			for k, vs := range rule.Header {
				for _, v := range vs {
					w.Header().Add(k, v)
				}
			}
			if rule.Body != "" && w.Header().Get("Content-Type") == "" {
				w.Header().Set("Content-Type", "application/json; charset=UTF-8")
			}
			w.WriteHeader(rule.Status)
			_, _ = w.Write([]byte(rule.Body))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
