package sitoo_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
)

func TestVouchersCRUD(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	v := c.Site(1).Vouchers
	start := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

	id, _, err := v.Create(ctx, &sitoo.VoucherRequest{VoucherName: sitoo.Ptr("Resellers"), VoucherType: sitoo.Ptr(sitoo.VoucherType(200)),
		ValueX: sitoo.Ptr(int64(30)), VoucherCode: sitoo.Ptr("LOYAL-ABC"), DateStart: sitoo.Ptr(sitoo.NewUnixTime(start)),
		MoneyM: sitoo.Ptr(sitoo.MustMoney("10")), Products: sitoo.IDList{12, 13}})
	require.NoError(t, err)
	got, _, err := v.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Resellers", got.VoucherName)
	assert.Equal(t, sitoo.VoucherType(200), got.VoucherType)
	require.NotNil(t, got.ValueX)
	assert.Equal(t, int64(30), *got.ValueX)
	assert.Nil(t, got.ValueY)
	assert.True(t, got.DateStart.Equal(start))
	assert.True(t, got.DateEnd.IsZero())
	require.NotNil(t, got.MoneyM)
	assert.Equal(t, "10.00", got.MoneyM.String())
	assert.Equal(t, sitoo.IDList{12, 13}, got.Products)

	// Clearing the start date sends null.
	require.NoError(t, errOf(v.Update(ctx, id, &sitoo.VoucherRequest{VoucherName: sitoo.Ptr("Voucher for Resellers"), DateStart: &sitoo.UnixTime{}})))
	got, _, err = v.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Voucher for Resellers", got.VoucherName)
	assert.True(t, got.DateStart.IsZero())
	assert.Equal(t, "LOYAL-ABC", got.VoucherCode)

	list, resp, err := v.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, resp.TotalCount)
	assert.Len(t, list, 1)
	assert.Len(t, collect(t, v.All(ctx, nil)), 1)

	require.NoError(t, errOf(v.Delete(ctx, id)))
	_, _, err = v.Get(ctx, id)
	require.ErrorIs(t, err, sitoo.ErrNotFound)

	_, _, err = v.Create(ctx, &sitoo.VoucherRequest{VoucherName: sitoo.Ptr("x")})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	_, _, err = v.Create(ctx, &sitoo.VoucherRequest{VoucherName: sitoo.Ptr("x"), VoucherType: sitoo.Ptr(sitoo.VoucherType(110)), Priority: sitoo.Ptr(9)})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
}

func TestUsersCRUD(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	users := c.Site(1).Users

	id, _, err := users.Create(ctx, &sitoo.UserRequest{Email: sitoo.Ptr("laura.smith@example.com"), NameFirst: sitoo.Ptr("Laura"),
		CustomerNumber: sitoo.Ptr("C-1")})
	require.NoError(t, err)
	assert.Regexp(t, `^\{[0-9A-F-]+\}$`, id)

	rs, _, err := users.BatchCreate(ctx, []sitoo.UserRequest{
		{Email: sitoo.Ptr("john.doe@example.com"), NameFirst: sitoo.Ptr("John")},
		{Email: sitoo.Ptr("laura.smith@example.com")},
	})
	require.NoError(t, err)
	john, ok := rs[0].ReturnString()
	require.True(t, ok)
	assert.ErrorIs(t, rs[1].Err, sitoo.ErrBadRequest, "the email is taken")

	u, _, err := users.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Laura", u.NameFirst)
	assert.False(t, u.DateCreated.IsZero())

	require.NoError(t, errOf(users.Update(ctx, id, &sitoo.UserRequest{Company: sitoo.Ptr("Example Inc.")})))
	rs, _, err = users.BatchUpdate(ctx, []sitoo.UserRequest{{UserID: john, ExternalID: sitoo.Ptr("1234")}})
	require.NoError(t, err)
	require.NoError(t, rs.Err())

	found, resp, err := users.List(ctx, &sitoo.UserListOptions{Email: "john.doe@example.com"})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.TotalCount)
	require.Len(t, found, 1)
	assert.Equal(t, "1234", found[0].ExternalID)
	found = collect(t, users.All(ctx, &sitoo.UserListOptions{CustomerNumber: "C-1"}))
	require.Len(t, found, 1)
	assert.Equal(t, "Example Inc.", found[0].Company)

	// Users are common to all sites.
	assert.Len(t, collect(t, c.Site(1).Users.All(ctx, nil)), 2)

	require.NoError(t, errOf(users.Delete(ctx, id)))
	_, _, err = users.Get(ctx, id)
	require.ErrorIs(t, err, sitoo.ErrNotFound)
	_, _, err = users.Create(ctx, &sitoo.UserRequest{})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	_, _, err = users.BatchUpdate(ctx, []sitoo.UserRequest{{Email: sitoo.Ptr("x@example.com")}})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
}
