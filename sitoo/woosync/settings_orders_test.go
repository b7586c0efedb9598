package woosync_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

func TestOrderSettings_Validate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	for field, change := range map[string]func(*woosync.Settings){
		"AutoFetchOrders":    func(s *woosync.Settings) { s.AutoFetchOrders = "some" },
		"RegularOrderStatus": func(s *woosync.Settings) { s.RegularOrderStatus = woocommerce.OrderAny },
		"Store2DoorOrderStatus": func(s *woosync.Settings) {
			s.Store2DoorOrderStatus = "not a status"
		},
		"CACStatuses": func(s *woosync.Settings) { s.CACMethodID = "local_pickup" },
		"WarehouseID": func(s *woosync.Settings) {
			s.CACMethodID, s.CACStatuses, s.WarehouseID = "local_pickup", []woocommerce.OrderStatus{woocommerce.OrderProcessing}, 0
		},
	} {
		s := e.settings()
		change(&s)
		err := s.Validate()
		var se *woosync.SettingsError
		require.True(t, errors.As(err, &se), "%s: %v", field, err)
		assert.Equal(t, field, se.Field)
	}
	s := e.settings()
	s.RegularOrderStatus, s.AutoFetchOrders = "pos-sale", woosync.OrdersStore2Door
	assert.NoError(t, s.Validate(), "custom statuses are allowed")
}
