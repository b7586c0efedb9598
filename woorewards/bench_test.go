package woorewards

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/loyalsync/loyalsync/internal/wp"
)

// BenchmarkDecodePools measures the tolerant decoder on a 1,000-pool list.
func BenchmarkDecodePools(b *testing.B) {
	var sb strings.Builder
	sb.WriteByte('[')
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"pool-%d","name":"Pool %d","points":"%d","active":"1","type":"standard"}`, i, i, i%7)
	}
	sb.WriteByte(']')
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var pools wp.List[Pool]
		if err := json.Unmarshal(data, &pools); err != nil || len(pools) != 1000 {
			b.Fatal(err)
		}
	}
}
