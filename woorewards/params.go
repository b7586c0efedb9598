package woorewards

import (
	"strconv"
	"strings"
	"unicode"
)

// checkSegment rejects a path value the server could never match: empty, or with control
// characters. Everything else is sent escaped, so it cannot change the route.
func checkSegment(param, v string) error {
	if strings.TrimSpace(v) == "" {
		return &ParamError{Param: param, Value: v, Reason: "must not be empty"}
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return &ParamError{Param: param, Value: v, Reason: "must not contain control characters"}
	}
	return nil
}

func checkEmail(email string) error {
	if err := checkSegment("email", email); err != nil {
		return err
	}
	if !strings.Contains(email, "@") {
		return &ParamError{Param: "email", Value: email, Reason: "is not an email address"}
	}
	return nil
}

func checkID(param string, id int64) error {
	if id <= 0 {
		return &ParamError{Param: param, Value: strconv.FormatInt(id, 10), Reason: "must be positive"}
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
