package value

import (
	"encoding/json"
	"testing"
	"time"
	_ "time/tzdata" // the zone database, so DST tests run on machines without /usr/share/zoneinfo

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUTCTimeUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
	}{
		{`"2017-03-22T16:28:02"`, time.Date(2017, 3, 22, 16, 28, 2, 0, time.UTC)},
		{`"2017-03-22 16:28:02"`, time.Date(2017, 3, 22, 16, 28, 2, 0, time.UTC)},
		{`"2017-03-22T16:28:02.123456"`, time.Date(2017, 3, 22, 16, 28, 2, 123456000, time.UTC)},
		{`"2017-03-22 16:28:02.5"`, time.Date(2017, 3, 22, 16, 28, 2, 500000000, time.UTC)},
		{`"2017-03-22"`, time.Date(2017, 3, 22, 0, 0, 0, 0, time.UTC)},
		{`"2017-03-22T16:28:02Z"`, time.Date(2017, 3, 22, 16, 28, 2, 0, time.UTC)},
		{`"2017-03-22T18:28:02+02:00"`, time.Date(2017, 3, 22, 16, 28, 2, 0, time.UTC)}, // a zone is honoured
		{`"2017-03-22T11:28:02.75-05:00"`, time.Date(2017, 3, 22, 16, 28, 2, 750000000, time.UTC)},
		{` " 2017-03-22T16:28:02 " `, time.Date(2017, 3, 22, 16, 28, 2, 0, time.UTC)},
		{`null`, time.Time{}},
		{`""`, time.Time{}},
		{`"0000-00-00 00:00:00"`, time.Time{}},
		{`"0000-00-00T00:00:00"`, time.Time{}},
		{`"0000-00-00"`, time.Time{}},
	}
	for _, tt := range tests {
		ts := UTCTime{time.Now()} // a previous value must be overwritten
		require.NoError(t, ts.UnmarshalJSON([]byte(tt.in)), tt.in)
		assert.True(t, tt.want.Equal(ts.Time), "%s: got %v", tt.in, ts.Time)
		assert.Equal(t, time.UTC, ts.Location(), tt.in)
	}
}

func TestTimesRejectBadInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		``, `"`, `"2017-03-22`, `1490200082`, `true`, `{}`, `"yesterday"`, `"2017-13-01T00:00:00"`,
		`"2017-02-30 00:00:00"`, `"22/03/2017"`, `"2017-03-22T16:28:02 +02:00"`,
		`"0000-01-01T00:00:00+01:00"`, // in UTC this is year -1, which no zone-less form can carry
		`"2017-03-22T16:28:02` + string(make([]byte, 60)) + `"`,
	} {
		var u UTCTime
		err := u.UnmarshalJSON([]byte(in))
		var de *DecodeError
		require.ErrorAs(t, err, &de, "UTCTime %q", in)
		assert.Equal(t, "UTCTime", de.Type)
		assert.True(t, u.IsZero())

		if in == `"0000-01-01T00:00:00+01:00"` {
			continue // a LocalTime keeps the zone it was sent with, so it can carry this one
		}
		var l LocalTime
		err = l.UnmarshalJSON([]byte(in))
		require.ErrorAs(t, err, &de, "LocalTime %q", in)
		assert.Equal(t, "LocalTime", de.Type)
	}
}

func TestUTCTimeMarshal(t *testing.T) {
	t.Parallel()
	for want, ts := range map[string]UTCTime{
		`null`:                         {},
		`"2017-03-22T16:28:02"`:        {time.Date(2017, 3, 22, 16, 28, 2, 0, time.UTC)},
		`"2017-03-22T16:28:02.5"`:      {time.Date(2017, 3, 22, 16, 28, 2, 500000000, time.UTC)},
		`"2017-03-22T14:28:02.000001"`: {time.Date(2017, 3, 22, 16, 28, 2, 1000, time.FixedZone("CEST", 2*3600))},
	} {
		b, err := json.Marshal(ts)
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
		var back UTCTime
		require.NoError(t, json.Unmarshal(b, &back))
		assert.True(t, ts.Equal(back.Time), want)
	}
}

func TestLocalTimeInAcrossDST(t *testing.T) {
	t.Parallel()
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(t, err)
	newYork, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	tests := []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{`"2017-03-22T16:28:02"`, stockholm, time.Date(2017, 3, 22, 15, 28, 2, 0, time.UTC)},         // CET, +01:00
		{`"2017-07-01T12:00:00"`, stockholm, time.Date(2017, 7, 1, 10, 0, 0, 0, time.UTC)},           // CEST, +02:00
		{`"2017-03-26 01:59:59"`, stockholm, time.Date(2017, 3, 26, 0, 59, 59, 0, time.UTC)},         // last second of winter time
		{`"2017-03-26 03:00:00"`, stockholm, time.Date(2017, 3, 26, 1, 0, 0, 0, time.UTC)},           // first of summer time
		{`"2017-10-29T03:00:00"`, stockholm, time.Date(2017, 10, 29, 2, 0, 0, 0, time.UTC)},          // back to winter time
		{`"2017-11-05T12:00:00.25"`, newYork, time.Date(2017, 11, 5, 17, 0, 0, 250000000, time.UTC)}, // EST, -05:00
		{`"2017-07-04T12:00:00"`, newYork, time.Date(2017, 7, 4, 16, 0, 0, 0, time.UTC)},             // EDT, -04:00
		{`"2017-07-04T12:00:00"`, nil, time.Date(2017, 7, 4, 12, 0, 0, 0, time.UTC)},                 // nil means UTC
		{`"2017-07-04T12:00:00+02:00"`, newYork, time.Date(2017, 7, 4, 10, 0, 0, 0, time.UTC)},       // sent with a zone: kept
	}
	for _, tt := range tests {
		var lt LocalTime
		require.NoError(t, json.Unmarshal([]byte(tt.in), &lt), tt.in)
		got := lt.In(tt.loc)
		assert.True(t, tt.want.Equal(got), "%s in %v: got %v, want %v", tt.in, tt.loc, got, tt.want)
		assert.Equal(t, time.UTC, got.Location())
	}
}

func TestLocalTimeStringAndMarshal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"2017-03-22T16:28:02"`:       "2017-03-22T16:28:02",
		`"2017-03-22 16:28:02.120"`:   "2017-03-22T16:28:02.12",
		`"2017-03-22T16:28:02+02:00"`: "2017-03-22T16:28:02+02:00",
		`null`:                        "",
		`"0000-00-00 00:00:00"`:       "",
	} {
		var lt LocalTime
		require.NoError(t, json.Unmarshal([]byte(in), &lt), in)
		assert.Equal(t, want, lt.String(), in)
		assert.Equal(t, want == "", lt.IsZero(), in)
		assert.True(t, lt.In(time.UTC).IsZero() == lt.IsZero(), in)
		b, err := json.Marshal(lt)
		require.NoError(t, err)
		if want == "" {
			assert.Equal(t, "null", string(b))
		} else {
			assert.Equal(t, `"`+want+`"`, string(b))
		}
	}
}

func TestNewLocalTimeKeepsWallClock(t *testing.T) {
	t.Parallel()
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	require.NoError(t, err)
	at := time.Date(2017, 7, 1, 12, 30, 0, 5, stockholm)
	lt := NewLocalTime(at)
	assert.Equal(t, "2017-07-01T12:30:00.000000005", lt.String(), "the location is dropped, the wall clock kept")
	assert.True(t, at.Equal(lt.In(stockholm)))
	assert.True(t, NewLocalTime(time.Time{}).IsZero())
}
