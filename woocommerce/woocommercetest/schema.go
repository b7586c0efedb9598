package woocommercetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// This file validates request bodies the way WordPress validates REST arguments against a
// controller's JSON schema (rest_validate_value_from_schema): a number sent for a string field is
// rejected, a numeric string is accepted for an integer, enums are closed. It then normalises the
// accepted values so the handlers can decode them into plain Go structs.

type kind int

const (
	kString kind = iota
	kInt
	kNumber
	kBool
	kArray
	kObject
	kMixed
)

func (k kind) String() string {
	return [...]string{"string", "integer", "number", "boolean", "array", "object", "mixed"}[k]
}

// field is one schema property.
type field struct {
	name     string
	kind     kind
	nullable bool
	enum     []string
	format   string // "email", "date-time"
	items    *field
	props    []field
}

func str(name string) field                { return field{name: name, kind: kString} }
func integer(name string) field            { return field{name: name, kind: kInt} }
func boolean(name string) field            { return field{name: name, kind: kBool} }
func mixed(name string) field              { return field{name: name, kind: kMixed} }
func enum(name string, vs ...string) field { return field{name: name, kind: kString, enum: vs} }
func object(name string, props ...field) field {
	return field{name: name, kind: kObject, props: props}
}
func arrayOf(name string, item field) field { return field{name: name, kind: kArray, items: &item} }
func (f field) orNull() field               { f.nullable = true; return f }
func (f field) withFormat(fm string) field  { f.format = fm; return f }

// metaField is the meta_data property shared by every resource.
func metaField() field {
	return arrayOf("meta_data", object("", integer("id"), str("key"), mixed("value")))
}

// idList is an array of integers.
func idList(name string) field { return arrayOf(name, integer("")) }

// validateBody checks the top-level properties present in body against fields and returns the
// normalised body. Unknown properties are dropped, like arguments without a schema entry.
func validateBody(body map[string]json.RawMessage, fields []field, pe *paramErrors) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(body))
	for _, f := range fields {
		raw, ok := body[f.name]
		if !ok {
			continue
		}
		norm, code, msg := validateValue(f.name, f, raw)
		if code != "" {
			pe.add(f.name, code, msg)
			continue
		}
		out[f.name] = norm
	}
	return out
}

var rfc3339ish = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}(:?\d{2})?)?$`)

// validateValue validates one value; param is its name in messages ("billing[email]").
func validateValue(param string, f field, raw json.RawMessage) (json.RawMessage, string, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, "rest_invalid_type", typeMessage(param, f)
	}
	if bytes.Equal(raw, []byte("null")) {
		if f.nullable || f.kind == kMixed {
			return raw, "", ""
		}
		return nil, "rest_invalid_type", typeMessage(param, f)
	}
	switch f.kind {
	case kMixed:
		return raw, "", ""
	case kString:
		var s string
		if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
			return nil, "rest_invalid_type", typeMessage(param, f)
		}
		if len(f.enum) > 0 && !slices.Contains(f.enum, s) {
			return nil, "rest_not_in_enum", fmt.Sprintf("%s is not one of %s.", param, wpList(f.enum))
		}
		switch f.format {
		case "email":
			if s != "" && !isEmail(s) {
				return nil, "rest_invalid_email", "Invalid email address."
			}
		case "date-time":
			if !rfc3339ish.MatchString(s) {
				return nil, "rest_invalid_date", "Invalid date."
			}
		}
		return raw, "", ""
	case kInt:
		n, ok := jsonInteger(raw)
		if !ok {
			return nil, "rest_invalid_type", typeMessage(param, f)
		}
		return json.RawMessage(strconv.FormatInt(n, 10)), "", ""
	case kNumber:
		s := string(raw)
		if raw[0] == '"' {
			_ = json.Unmarshal(raw, &s)
		}
		if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
			return nil, "rest_invalid_type", typeMessage(param, f)
		}
		return json.RawMessage(strings.TrimSpace(s)), "", ""
	case kBool:
		b, ok := jsonBool(raw)
		if !ok {
			return nil, "rest_invalid_type", typeMessage(param, f)
		}
		return json.RawMessage(strconv.FormatBool(b)), "", ""
	case kArray:
		var items []json.RawMessage
		if raw[0] == '"' { // wp_parse_list: a comma or space separated string is an array
			var s string
			_ = json.Unmarshal(raw, &s)
			for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
				b, _ := json.Marshal(part)
				items = append(items, b)
			}
		} else if json.Unmarshal(raw, &items) != nil {
			var obj map[string]json.RawMessage
			if json.Unmarshal(raw, &obj) != nil {
				return nil, "rest_invalid_type", typeMessage(param, f)
			}
			for _, k := range sortedKeys(obj) { // a PHP array with keys is still an array
				items = append(items, obj[k])
			}
		}
		out := make([]json.RawMessage, 0, len(items))
		for i, it := range items {
			norm, code, msg := validateValue(fmt.Sprintf("%s[%d]", param, i), *f.items, it)
			if code != "" {
				return nil, code, msg
			}
			out = append(out, norm)
		}
		b, _ := json.Marshal(out)
		return b, "", ""
	case kObject:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			if bytes.Equal(raw, []byte("[]")) { // PHP's empty array is also an empty object
				return json.RawMessage("{}"), "", ""
			}
			return nil, "rest_invalid_type", typeMessage(param, f)
		}
		for _, p := range f.props {
			v, ok := obj[p.name]
			if !ok {
				continue
			}
			norm, code, msg := validateValue(param+"["+p.name+"]", p, v)
			if code != "" {
				return nil, code, msg
			}
			obj[p.name] = norm
		}
		b, _ := json.Marshal(obj)
		return b, "", ""
	}
	return raw, "", ""
}

func typeMessage(param string, f field) string {
	t := f.kind.String()
	if f.nullable {
		t += ",null"
	}
	return fmt.Sprintf("%s is not of type %s.", param, t)
}

// jsonInteger accepts a JSON integer, a number with a zero fraction, or a numeric string holding
// one (rest_is_integer).
func jsonInteger(raw json.RawMessage) (int64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	s := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		s = strings.TrimSpace(s)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// jsonBool accepts what rest_is_boolean accepts.
func jsonBool(raw json.RawMessage) (bool, bool) {
	if len(raw) == 0 {
		return false, false
	}
	s := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return false, false
		}
	}
	switch strings.ToLower(s) {
	case "true", "1":
		return true, true
	case "false", "0", "":
		return false, true
	}
	return false, false
}

// isEmail is a small is_email: local@domain with a dot in the domain and no spaces.
func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(s) < 6 || strings.ContainsAny(s, " \t\r\n,;<>") || strings.Contains(domain, "@") {
		return false
	}
	parts := strings.Split(domain, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// decodeInto decodes validated body properties into v (a struct with json tags and pointer fields
// for optional values).
func decodeInto(body map[string]json.RawMessage, v any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
