package loyalty_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/loyalsync/loyalsync/loyalty"
)

func TestFormatMoney(t *testing.T) {
	t.Parallel()
	cases := []struct{ amount, currency, want string }{
		{"50", "EUR", "50.00"},
		{"1234567.891", "EUR", "1,234,567.89"},
		{"0.005", "EUR", "0.01"},
		{"-1234.5", "USD", "-1,234.50"},
		{"1234.5", "JPY", "1,235"},
		{"12.3456", "KWD", "12.346"},
		{"999.999", "EUR", "1,000.00"},
		{"5", "XYZ", "5.00"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, loyalty.FormatMoney(dec(tc.amount), tc.currency), "%s %s", tc.amount, tc.currency)
	}
}

func TestFormatPoints(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1200: "-1,200", 1234567: "1,234,567"} {
		assert.Equal(t, want, loyalty.FormatPoints(n))
	}
}

func TestRoundMoneyUsesTheCurrencyMinorUnit(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "0.13", loyalty.RoundMoney(dec("0.125"), "EUR").String())
	assert.Equal(t, "13", loyalty.RoundMoney(dec("12.5"), "JPY").String())
	assert.Equal(t, "1.235", loyalty.RoundMoney(dec("1.2345"), "BHD").String())
	p := loyalty.DefaultProgram("card", "JPY")
	p.Redemption.DiscountPerPoint = dec("0.3")
	assert.Equal(t, "333", p.PointsValue(1111).String(), "333.3 yen rounds to whole yen")
}

func TestKeysAreDeterministicAndUnambiguous(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "earn/https:%2F%2Fshop.example/1042", loyalty.EarnKey("https://shop.example", "1042"))
	assert.NotEqual(t, loyalty.EarnKey("a/b", "c"), loyalty.EarnKey("a", "b/c"))
	assert.Equal(t, "refund/s/1/10.5", loyalty.PartialRefundKey("s", "1", "10.5"))
	assert.Equal(t, "redeem/r1/release", loyalty.ReleaseKey("r1"))
	assert.Equal(t, "welcome/m1", loyalty.WelcomeKey("m1"))
	assert.Equal(t, "adjust/x", loyalty.AdjustKey("x"))
}

func TestCouponCode(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef")
	a := loyalty.CouponCode(secret, "POINTS", "rdm_1", 0)
	assert.Equal(t, a, loyalty.CouponCode(secret, "POINTS", "rdm_1", 0), "deterministic")
	assert.NotEqual(t, a, loyalty.CouponCode(secret, "POINTS", "rdm_1", 1), "a collision retry draws another code")
	assert.NotEqual(t, a, loyalty.CouponCode(secret, "POINTS", "rdm_2", 0))
	assert.NotEqual(t, a, loyalty.CouponCode([]byte("another installation"), "POINTS", "rdm_1", 0), "the secret changes the code")
	assert.Regexp(t, `^POINTS-[A-HJ-NP-Z2-9]{8}$`, a)
}

func TestNormalizeStatus(t *testing.T) {
	t.Parallel()
	assert.Equal(t, loyalty.StatusOnHold, loyalty.NormalizeStatus(" WC-On-Hold "))
	assert.Equal(t, loyalty.StatusCompleted, loyalty.NormalizeStatus("completed"))
}
