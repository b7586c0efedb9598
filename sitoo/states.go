package sitoo

// The numeric codes below are open types: a value Sitoo sends that has no constant here decodes
// and round-trips unchanged. Constants exist only for values Sitoo documents; values seen only in
// examples are mentioned in the doc comments, not given names.

// OrderState is an order's orderstateid.
type OrderState int

// Documented order states (www.sitoo.com/docs/api/v2/orders.html).
const (
	OrderStateAbandoned OrderState = -1
	OrderStateOpen      OrderState = 0
	OrderStateClosed    OrderState = 10
	OrderStateCancelled OrderState = 20
)

// PaymentState is an order's paymentstateid.
type PaymentState int

// Documented payment states.
const (
	PaymentStateNone       PaymentState = 0
	PaymentStatePending    PaymentState = 10
	PaymentStateReserved   PaymentState = 15
	PaymentStateSuccessful PaymentState = 20
	PaymentStateCancelled  PaymentState = 30
	PaymentStateFailed     PaymentState = 40
)

// OrderType is an order's ordertypeid.
type OrderType int

// Documented order types.
const (
	OrderTypeOrder     OrderType = 10
	OrderTypeBooking   OrderType = 100
	OrderTypePOSParked OrderType = 110
)

// OrderItemType is an order item's orderitemtype. Product is 10 in every example; the values for
// Discount (which must follow the Product item it belongs to) and shipping rows are not documented.
type OrderItemType int

// OrderItemTypeProduct is a product row.
const OrderItemTypeProduct OrderItemType = 10

// OrderLogType is an order log item's orderlogtypeid. All types are read-only except
// ReadyForPickup and PickupRejected.
type OrderLogType int

// Documented order log types.
const (
	OrderLogTypeReadyForPickup OrderLogType = 900
	OrderLogTypePickupRejected OrderLogType = 910
)

// WarehouseType is a warehouse's warehousetype. Sitoo has "FIFO" and "Virtual" warehouses; only
// Virtual (20) is documented by number. 10 appears in every example and is presumably FIFO, but
// that is not confirmed, so this package only asks "is it Virtual?".
type WarehouseType int

// WarehouseTypeVirtual is a warehouse whose stock is set absolutely (WarehouseItems.Set) and that
// accepts no warehouse transactions.
const WarehouseTypeVirtual WarehouseType = 20

// IsVirtual reports whether the type is Virtual.
func (t WarehouseType) IsVirtual() bool { return t == WarehouseTypeVirtual }

// WarehouseUseType is a warehouse's usetype (examples show 10, 20 and 40; meanings undocumented).
type WarehouseUseType int

// TransactionType is a warehouse transaction's or batch's transactiontype. Sales, Refund and
// StockTaking transactions are read-only. 30 and 40 appear on transactions created by order
// deliveries (presumably Sales and Refund) but are not documented.
type TransactionType int

// Transaction types documented by example.
const (
	TransactionTypeMoveIn      TransactionType = 10
	TransactionTypeMoveOut     TransactionType = 20
	TransactionTypeStocktaking TransactionType = 50
)

// WarehouseBatchState is a warehouse batch's warehousebatchstate.
type WarehouseBatchState int

// Documented batch states: changing a batch from Open to Closed commits it.
const (
	WarehouseBatchStateOpen   WarehouseBatchState = 10
	WarehouseBatchStateClosed WarehouseBatchState = 20
)

// VoucherType is a voucher's vouchertype. Examples show 110, 200 and 210; the meaning of each
// number is not documented, so no constants are defined.
type VoucherType int

// ProductGroupType is a product group's productgrouptype (Product, Service or Gift Card). Examples
// show 10 for common goods, 20 for a service and 30 for gift cards, but the numbers are not
// documented, so no constants are defined.
type ProductGroupType int
