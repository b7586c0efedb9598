package rewardpointstest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints/rewardpointstest"
)

func TestMemoryStoreConformance(t *testing.T) {
	t.Parallel()
	rewardpointstest.TestStore(t, func(t *testing.T) rewardpoints.Store {
		s, err := rewardpoints.NewMemoryStore()
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

type answer struct {
	status int
	code   string
	body   map[string]any
}

func post(t *testing.T, client *http.Client, url, user, pw, method, body string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, strings.NewReader(body))
	require.NoError(t, err)
	if user != "" {
		req.SetBasicAuth(user, pw)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{status: resp.StatusCode}
	require.NoError(t, json.Unmarshal(data, &a.body), string(data))
	a.code, _ = a.body["code"].(string)
	return a
}

func TestFakeEnforcesTheDocumentedErrors(t *testing.T) {
	t.Parallel()
	srv := rewardpointstest.NewServer()
	defer srv.Close()
	srv.AddAppPassword("admin", "pw", true)
	srv.AddAppPassword("editor", "pw", false)
	srv.AddUser(5, 10)
	url := srv.URL + rewardpointstest.Path
	hc := srv.Client()

	for name, tc := range map[string]struct {
		user, method, body string
		status             int
		code               string
	}{
		"anonymous":        {"", "POST", `{"user_id":5,"points":1,"message":"m"}`, 401, "rest_forbidden"},
		"unknown login":    {"ghost", "POST", `{"user_id":5,"points":1,"message":"m"}`, 401, "invalid_username"},
		"no capability":    {"editor", "POST", `{"user_id":5,"points":1,"message":"m"}`, 403, "rest_forbidden"},
		"GET":              {"admin", "GET", ``, 404, "rest_no_route"},
		"unknown user":     {"admin", "POST", `{"user_id":6,"points":1,"message":"m"}`, 400, "invalid_user"},
		"missing user":     {"admin", "POST", `{"points":1,"message":"m"}`, 400, "invalid_user"},
		"user as text":     {"admin", "POST", `{"user_id":"five","points":1,"message":"m"}`, 400, "invalid_user"},
		"zero points":      {"admin", "POST", `{"user_id":5,"points":0,"message":"m"}`, 400, "invalid_points"},
		"negative points":  {"admin", "POST", `{"user_id":5,"points":-3,"message":"m"}`, 400, "invalid_points"},
		"fraction points":  {"admin", "POST", `{"user_id":5,"points":1.5,"message":"m"}`, 400, "invalid_points"},
		"missing points":   {"admin", "POST", `{"user_id":5,"message":"m"}`, 400, "invalid_points"},
		"missing message":  {"admin", "POST", `{"user_id":5,"points":1}`, 400, "rest_missing_callback_param"},
		"not JSON":         {"admin", "POST", `user_id=5`, 400, "rest_invalid_json"},
		"string numbers":   {"admin", "POST", `{"user_id":"5","points":"2","message":"m"}`, 200, ""},
		"sanitised (<br>)": {"admin", "POST", `{"user_id":5,"points":1,"message":" a<br>\n\tb "}`, 200, ""},
	} {
		a := post(t, hc, url, tc.user, "pw", tc.method, tc.body)
		assert.Equal(t, tc.status, a.status, name)
		assert.Equal(t, tc.code, a.code, name)
	}
	total, ok := srv.Points(5)
	require.True(t, ok)
	assert.Equal(t, int64(13), total)
	log := srv.Log()
	require.Len(t, log, 2)
	for i := range log {
		log[i].NewTotal = 0 // depends on the (random) order of the cases
	}
	assert.ElementsMatch(t, []rewardpointstest.Entry{{UserID: 5, Points: 2, Message: "m"}, {UserID: 5, Points: 1, Message: "a b"}}, log)

	srv.SetAPIEnabled(false)
	a := post(t, hc, url, "admin", "pw", "POST", `{"user_id":5,"points":1,"message":"m"}`)
	assert.Equal(t, 404, a.status)
	assert.Equal(t, "rest_no_route", a.code)
}

func TestFakeIgnoresApplicationPasswordsWithoutTLS(t *testing.T) {
	t.Parallel()
	srv := rewardpointstest.NewServer()
	defer srv.Close()
	srv.AddAppPassword("admin", "pw", true)
	srv.AddUser(5, 0)
	plain := httptest.NewServer(srv.Config.Handler)
	defer plain.Close()
	a := post(t, plain.Client(), plain.URL+rewardpointstest.Path, "admin", "pw", "POST", `{"user_id":5,"points":1,"message":"m"}`)
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Empty(t, srv.Log())
}
