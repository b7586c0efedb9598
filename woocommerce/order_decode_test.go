package woocommerce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	gojson "github.com/goccy/go-json"
)

// generalOrders decodes with the general decoder only, as the client did before the order decoder.
func generalOrders(data []byte) ([]Order, error) {
	var out []Order
	err := gojson.Unmarshal(data, &out)
	return out, err
}

func TestOrderDecoderTakesThePage(t *testing.T) {
	t.Parallel()
	page := ordersPage(t)
	var fast []Order
	if !decodeOrderList(page, &fast) {
		t.Fatal("the order decoder gave up on the realistic page")
	}
	want, err := generalOrders(page)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatal("the order decoder and the general decoder disagree on the page")
	}
}

// FuzzOrderDecoderMatchesGeneral: whatever the order decoder accepts, the general decoder accepts
// too and decodes to the same value, for a page of orders and for one order.
func FuzzOrderDecoderMatchesGeneral(f *testing.F) {
	order := readTestdata(f, "order.json")
	f.Add(order)
	f.Add(append(append([]byte("["), order...), ']'))
	f.Add(readTestdata(f, "quirks_order.json"))
	f.Add([]byte(`[{"id":1,"billing":null,"line_items":[{"image":null,"sku":null,"price":1e2}],"refunds":[]},null]`))
	f.Add([]byte(`{"ID":1,"id":2,"number":"a\u00e9\/b\n","status":"\ud83d\ude00","meta_data":[{"value":[1,{"a":"\u0000"}],"display_value":-0.5e+3}]}`))
	f.Add([]byte(`{"line_items":[{"meta_data":[]},{"meta_data":null}],"line_items":[]}`))
	f.Add([]byte(`{"tax_lines":[{"rate_id":"7","rate_percent":null,"compound":null}],"fee_lines":[{"amount":"1.5","amount":2}]}`))
	f.Add([]byte(`{"total":"","date_paid":"0000-00-00 00:00:00","customer_id":-0,"parent_id":01}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast []Order
		if decodeOrderList(data, &fast) {
			want, err := generalOrders(data)
			if err != nil {
				t.Fatalf("order decoder accepted a page the general decoder refuses: %v", err)
			}
			if !reflect.DeepEqual(fast, want) {
				t.Fatalf("page decoded differently at %s", firstDiff("", reflect.ValueOf(fast), reflect.ValueOf(want)))
			}
		}
		var one Order
		if decodeOrder(data, &one) {
			var want Order
			if err := gojson.Unmarshal(data, &want); err != nil {
				t.Fatalf("order decoder accepted an order the general decoder refuses: %v", err)
			}
			if !reflect.DeepEqual(one, want) {
				t.Fatalf("order decoded differently at %s", firstDiff("", reflect.ValueOf(one), reflect.ValueOf(want)))
			}
		}
	})
}

// TestOrderDecoderHandlesEveryField decodes an order in which every field of every type in Order
// is set: the order decoder must take it, agree with the general decoder, and leave no field
// zero. A field added to Order and not to the order decoder fails here.
func TestOrderDecoderHandlesEveryField(t *testing.T) {
	t.Parallel()
	var doc bytes.Buffer
	writeFullJSON(&doc, reflect.TypeFor[Order]())
	data := doc.Bytes()
	var fast Order
	if !decodeOrder(data, &fast) {
		t.Fatalf("the order decoder gave up on %s", data)
	}
	var want Order
	if err := gojson.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatalf("decoded differently from the general decoder at %s", firstDiff("Order", reflect.ValueOf(fast), reflect.ValueOf(want)))
	}
	assertNoZeroField(t, "Order", reflect.ValueOf(fast))
}

// writeFullJSON writes a JSON value of type typ with every field set.
func writeFullJSON(w *bytes.Buffer, typ reflect.Type) {
	switch typ {
	case reflect.TypeFor[Money]():
		w.WriteString(`"12.34"`)
		return
	case reflect.TypeFor[LocalTime](), reflect.TypeFor[UTCTime]():
		w.WriteString(`"2024-11-02T14:05:11"`)
		return
	case reflect.TypeFor[json.RawMessage]():
		w.WriteString(`{"a":[1,"x",null]}`)
		return
	}
	switch typ.Kind() {
	case reflect.Pointer:
		writeFullJSON(w, typ.Elem())
	case reflect.Slice:
		w.WriteByte('[')
		writeFullJSON(w, typ.Elem())
		w.WriteByte(',')
		writeFullJSON(w, typ.Elem())
		w.WriteByte(']')
	case reflect.Struct:
		w.WriteByte('{')
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(`"` + name + `":`)
			writeFullJSON(w, typ.Field(i).Type)
		}
		w.WriteByte('}')
	case reflect.String:
		w.WriteString(`"text"`)
	case reflect.Int64:
		w.WriteString(`42`)
	case reflect.Bool:
		w.WriteString(`true`)
	default:
		panic("writeFullJSON: no value for " + typ.String())
	}
}

// assertNoZeroField fails for every zero field in v, a struct, and the structs it holds.
func assertNoZeroField(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			t.Errorf("%s is nil", path)
			return
		}
		assertNoZeroField(t, path, v.Elem())
	case reflect.Slice:
		if v.Len() == 0 {
			t.Errorf("%s is empty", path)
			return
		}
		assertNoZeroField(t, path+"[0]", v.Index(0))
	case reflect.Struct:
		if v.Type().PkgPath() != reflect.TypeFor[Order]().PkgPath() {
			if v.IsZero() {
				t.Errorf("%s is zero", path)
			}
			return
		}
		for i := range v.NumField() {
			assertNoZeroField(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	default:
		if v.IsZero() {
			t.Errorf("%s is zero", path)
		}
	}
}

// firstDiff names the first place where a and b, values of the same type, differ.
func firstDiff(path string, a, b reflect.Value) string {
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: len %d (nil %v) vs %d (nil %v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		for i := range a.Len() {
			if !reflect.DeepEqual(a.Index(i).Interface(), b.Index(i).Interface()) {
				return firstDiff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))
			}
		}
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return fmt.Sprintf("%s: nil %v vs %v", path, a.IsNil(), b.IsNil())
		}
		return firstDiff(path, a.Elem(), b.Elem())
	case reflect.Struct:
		if a.Type().PkgPath() == reflect.TypeFor[Order]().PkgPath() {
			for i := range a.NumField() {
				if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
					return firstDiff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
				}
			}
		}
	}
	return fmt.Sprintf("%s: %+v vs %+v", path, a.Interface(), b.Interface())
}

// TestOrderDecoderSharesEqualAmountsSafely: equal amount texts on a page share one decoded value,
// which is safe only while a decimal.Decimal never changes its coefficient; this checks that
// what a caller can do with one amount leaves the other untouched.
func TestOrderDecoderSharesEqualAmountsSafely(t *testing.T) {
	t.Parallel()
	page := []byte(`[{"id":1,"total":"12.50","discount_total":"0.00"},{"id":2,"total":"12.50","discount_total":"0.00"}]`)
	var orders []Order
	if !decodeOrderList(page, &orders) {
		t.Fatal("the order decoder gave up")
	}
	a, b := orders[0].Total, orders[1].Total
	if a.StringFixed(2) != "12.50" || !a.Equal(b) || a.Exponent() != -2 {
		t.Fatalf("totals %s and %s (exponent %d), want 12.50 twice", a, b, a.Exponent())
	}
	a.Coefficient().SetInt64(999)
	a.BigInt().SetInt64(999)
	_ = a.Add(b.Decimal).Mul(b.Decimal).Round(0).Neg().Abs().Truncate(1)
	a.Decimal = a.Add(b.Decimal)
	orders[1].DiscountTotal = MustMoney("3.00")
	if b.StringFixed(2) != "12.50" || b.Exponent() != -2 || orders[1].Total.StringFixed(2) != "12.50" {
		t.Fatalf("the second order's total became %s after the first one's was used", orders[1].Total)
	}
	if got := orders[0].DiscountTotal.StringFixed(2); got != "0.00" {
		t.Fatalf("the first order's discount became %s after the second one's was replaced", got)
	}
}
