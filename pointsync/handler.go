package pointsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"time"
)

// Ledger is the local points ledger as the handler sees it. The loyalty adapter implements it
// over the engine; pointsynctest.Ledger is an in-memory one for tests.
type Ledger interface {
	// ApplyRemote applies movements received from the remote site in.Origin to the local reserve
	// in.Reserve. It must be idempotent by (in.Origin, Movement.ID): a movement applied before is
	// counted as a duplicate, not applied again, and is not an error. It should apply a batch all
	// or nothing; if it cannot, idempotency still makes the sender's retry safe. Movements applied
	// here came from synchronisation: they must never be queued for other remotes (no echo) and
	// must never send the member an email. A member unknown locally is found or created by
	// Movement.Member (normalised email, then member code). Points are applied as sent, even when
	// they take a balance below zero (the same points spent on two sites at once): such a double
	// spend is recorded and reported, never hidden by a floor that would make sites disagree.
	// ErrUnknownReserve for a reserve that does not exist; an error matching ErrInvalidArgument
	// for a movement the ledger refuses (answered 400).
	ApplyRemote(ctx context.Context, in Incoming) (Applied, error)
	// HasReserve reports whether reserve names a local point reserve that accepts movements.
	HasReserve(ctx context.Context, reserve string) (bool, error)
}

// Incoming is a verified batch from a remote site.
type Incoming struct {
	// Origin is the sending site's sharing key (authenticated).
	Origin string
	// Reserve is the local target reserve.
	Reserve string
	// BatchID is the batch id, for logs and activity records.
	BatchID string
	// Movements are the movements, valid and with distinct IDs.
	Movements []Movement
}

// Applied is what ApplyRemote did.
type Applied struct {
	// Applied counts the movements applied now; Duplicates those applied before.
	Applied, Duplicates int
}

// Directory is the part of the settings the handler reads: who this site is and which remote
// sites it accepts. SettingsStore implements it.
type Directory interface {
	// LocalSite returns this site's information, or ErrNoLocalSite.
	LocalSite(ctx context.Context) (LocalSite, error)
	// Remote returns the remote site with this sharing key, or ErrRemoteNotFound.
	Remote(ctx context.Context, sharingKey string) (Remote, error)
}

// Handler serves the protocol at a site's local URL: POST <url>/batches receives a batch, POST
// <url>/ping checks the settings of the sender. Only the last path segment is looked at, so the
// handler can be mounted under any prefix. Create it with NewHandler.
type Handler struct {
	dir    Directory
	ledger Ledger
	now    func() time.Time
	window time.Duration
	replay ReplayGuard
	log    *slog.Logger
}

var _ http.Handler = (*Handler)(nil)

// NewHandler returns the protocol handler of the local site described by dir, applying batches to
// ledger. Options: WithClock, WithWindow, WithReplayGuard, WithLogger.
func NewHandler(dir Directory, ledger Ledger, opts ...Option) (*Handler, error) {
	if dir == nil || ledger == nil {
		return nil, fmt.Errorf("%w: NewHandler needs a directory and a ledger", ErrInvalidArgument)
	}
	cfg, err := newConfig("NewHandler", opts)
	if err != nil {
		return nil, err
	}
	h := &Handler{dir: dir, ledger: ledger, now: cfg.now, window: cfg.window, replay: cfg.replay, log: cfg.logger}
	if h.replay == nil {
		h.replay = NewMemReplayGuard(cfg.now)
	}
	return h, nil
}

// ServeHTTP checks, in this order: the method and endpoint, the Basic credentials (401
// bad_credentials), the signature and its timestamp (401 bad_signature, stale_timestamp), the
// receiver's sharing key (403 wrong_sharing_key), the sender's sharing key among the remote sites
// (403 unknown_site), the body (400), the batch id (401 replayed_batch, 409 batch_in_progress)
// and the target reserve (404 unknown_reserve); then it applies the batch. Every error has a JSON
// ErrorBody.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := path.Base(r.URL.Path)
	if op != OpBatches && op != OpPing {
		h.fail(w, r, http.StatusNotFound, CodeNotFound, "no such endpoint; the protocol has POST …/batches and POST …/ping")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use POST")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, CodeBadRequest, "could not read the body")
		return
	}
	if len(body) > MaxBodyBytes {
		h.fail(w, r, http.StatusRequestEntityTooLarge, CodeTooLarge, fmt.Sprintf("body larger than %d bytes", MaxBodyBytes))
		return
	}
	ctx := r.Context()
	local, err := h.dir.LocalSite(ctx)
	if err != nil {
		h.internal(w, r, "read local site", err)
		return
	}
	if !checkBasic(r, local) {
		h.fail(w, r, http.StatusUnauthorized, CodeBadCredentials, "wrong auth or pass: use this site's secret auth and pass")
		return
	}
	from, to := r.Header.Get(HeaderFrom), r.Header.Get(HeaderTo)
	signed := Signed{Op: op, From: from, To: to, Body: body}
	if err := VerifySignature(r.Header.Get(HeaderSignature), local.Pass, signed, h.now(), h.window); err != nil {
		code := CodeBadSignature
		if errors.Is(err, ErrStaleTimestamp) {
			code = CodeStaleTimestamp
		}
		h.fail(w, r, http.StatusUnauthorized, code, err.Error())
		return
	}
	if to != local.SharingKey {
		h.fail(w, r, http.StatusForbidden, CodeWrongSharingKey, "this site's sharing key is not the one configured for it on the sender")
		return
	}
	if _, err := h.dir.Remote(ctx, from); err != nil {
		if errors.Is(err, ErrRemoteNotFound) {
			h.fail(w, r, http.StatusForbidden, CodeUnknownSite, fmt.Sprintf("no remote site with sharing key %q is set on this site", from))
			return
		}
		h.internal(w, r, "read remote site", err)
		return
	}
	if op == OpPing {
		h.ping(w, r, local, body)
		return
	}
	h.batch(w, r, from, body)
}

func (h *Handler) ping(w http.ResponseWriter, r *http.Request, local LocalSite, body []byte) {
	var req PingRequest
	if err := unmarshalStrict(body, &req); err != nil {
		h.fail(w, r, http.StatusBadRequest, CodeBadRequest, "invalid ping body: "+err.Error())
		return
	}
	if req.Version != Version {
		h.fail(w, r, http.StatusBadRequest, CodeUnsupportedVersion, fmt.Sprintf("protocol version %d, this site speaks %d", req.Version, Version))
		return
	}
	if !h.reserveExists(w, r, req.Reserve) {
		return
	}
	writeJSON(w, http.StatusOK, PingResponse{Version: Version, SharingKey: local.SharingKey, Reserve: req.Reserve})
}

func (h *Handler) batch(w http.ResponseWriter, r *http.Request, from string, body []byte) {
	ctx := r.Context()
	b, err := DecodeBatch(body)
	if err != nil {
		code := CodeBadRequest
		if errors.Is(err, ErrUnsupportedVersion) {
			code = CodeUnsupportedVersion
		}
		h.fail(w, r, http.StatusBadRequest, code, err.Error())
		return
	}
	if b.Origin != from {
		h.fail(w, r, http.StatusBadRequest, CodeBadRequest, "batch origin differs from the "+HeaderFrom+" header")
		return
	}
	claim, err := h.replay.Begin(ctx, from, b.ID, h.now().Add(2*h.window))
	if err != nil {
		h.internal(w, r, "claim batch id", err)
		return
	}
	switch claim {
	case ClaimDone:
		h.fail(w, r, http.StatusUnauthorized, CodeReplayed, fmt.Sprintf("batch %s was already received and applied", b.ID))
		return
	case ClaimInProgress:
		h.fail(w, r, http.StatusConflict, CodeInProgress, fmt.Sprintf("batch %s is being applied; send it again later", b.ID))
		return
	}
	applied := false
	defer func() {
		// The claim must end even if the client went away: use a context that is not cancelled.
		if err := h.replay.Finish(context.WithoutCancel(ctx), from, b.ID, applied); err != nil {
			h.log.ErrorContext(ctx, "pointsync: finish batch claim", "batch", b.ID, "error", err)
		}
	}()
	if !h.reserveExists(w, r, b.Reserve) {
		return
	}
	res, err := h.ledger.ApplyRemote(ctx, Incoming{Origin: from, Reserve: b.Reserve, BatchID: b.ID, Movements: b.Movements})
	switch {
	case errors.Is(err, ErrUnknownReserve):
		h.fail(w, r, http.StatusNotFound, CodeUnknownReserve, fmt.Sprintf("no point reserve %q on this site", b.Reserve))
		return
	case errors.Is(err, ErrInvalidArgument):
		h.fail(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	case err != nil:
		h.internal(w, r, "apply batch", err)
		return
	}
	applied = true
	writeJSON(w, http.StatusOK, Result{BatchID: b.ID, Applied: res.Applied, Duplicates: res.Duplicates})
}

func (h *Handler) reserveExists(w http.ResponseWriter, r *http.Request, reserve string) bool {
	ok, err := h.ledger.HasReserve(r.Context(), reserve)
	if err != nil {
		h.internal(w, r, "look up reserve", err)
		return false
	}
	if !ok {
		h.fail(w, r, http.StatusNotFound, CodeUnknownReserve, fmt.Sprintf("no point reserve %q on this site", reserve))
	}
	return ok
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	h.log.InfoContext(r.Context(), "pointsync: request refused", "status", status, "code", code,
		"from", r.Header.Get(HeaderFrom), "remote_addr", r.RemoteAddr)
	writeJSON(w, status, ErrorBody{Code: code, Message: msg, Status: status})
}

func (h *Handler) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.log.ErrorContext(r.Context(), "pointsync: "+what, "error", err)
	status := http.StatusInternalServerError
	if errors.Is(err, ErrNoLocalSite) || errors.Is(err, context.Canceled) {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, ErrorBody{Code: CodeInternal, Message: what + " failed on this site", Status: status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil { // the protocol's own types always marshal
		status, data = http.StatusInternalServerError, []byte(`{"code":"internal_error","message":"encode response","status":500}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
