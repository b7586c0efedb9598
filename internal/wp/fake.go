package wp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// WriteJSON writes v as a JSON response with the given status, as WordPress does.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// WriteError writes a WordPress REST error body.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	WriteJSON(w, status, map[string]any{
		"code":    code,
		"message": message,
		"data":    map[string]int{"status": status},
	})
}

// WriteNoRoute writes WordPress's answer for a path no registered route matches.
func WriteNoRoute(w http.ResponseWriter) {
	WriteError(w, http.StatusNotFound, NoRouteCode, "No route was found matching the URL and request method.")
}

// Segments splits the escaped path below prefix into unescaped segments, so that an escaped "/"
// inside an email or reason stays inside its segment. ok is false when the path is not below
// prefix or a segment is badly escaped.
func Segments(r *http.Request, prefix string) ([]string, bool) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix)
	if !ok {
		return nil, false
	}
	rest = strings.Trim(rest, "/")
	if rest == "" {
		return nil, true
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = s
	}
	return parts, true
}
