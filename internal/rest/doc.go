// Package rest is the one HTTP core every loyalsync client is built on. No client writes its own
// retry, pacing, query encoding or error decoding: they configure a rest.Client and describe their
// requests.
//
// What the core does for every request:
//
//   - Retries with exponential back-off and jitter (hashicorp/go-retryablehttp) on network errors and
//     on 429, 502, 503 and 504, honouring Retry-After (seconds or HTTP-date) and any reset header a
//     client knows how to read. A request that is not idempotent (POST, PUT, PATCH, DELETE) is retried
//     only when the caller marks it RetrySafe; see [Request.RetrySafe] for why.
//   - Paces requests client-side with a token bucket (golang.org/x/time/rate), and slows down further
//     when the server says how many requests remain in its window.
//   - Encodes option structs into the query string with go-querystring (`url:"..."` tags, including
//     `url:"include,comma"` lists), escaping spaces as %20.
//   - Encodes JSON bodies, decodes JSON responses (stripping a UTF-8 BOM, capping the size), keeps
//     the raw body of failed responses, and hands them to the API's own error decoder.
//   - Logs each attempt through log/slog with credentials redacted, and sends a User-Agent that
//     names the library and its version.
//
// [Pages] turns a "fetch one page" function into a lazy iter.Seq2.
package rest
