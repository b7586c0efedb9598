package woocommerce

import (
	"bytes"
	"encoding/json"
)

// unmarshalJSON decodes a response body. NUL bytes, which some hosts inject into bodies and which
// are never valid JSON, are removed first (a leading BOM is already stripped by the core).
func unmarshalJSON(data []byte, v any) error {
	if bytes.IndexByte(data, 0) >= 0 {
		data = bytes.ReplaceAll(data, []byte{0}, nil)
	}
	return json.Unmarshal(data, v)
}
