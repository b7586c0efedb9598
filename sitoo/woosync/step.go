package woosync

// Step is one operation of the sync, callable alone (Syncer.Run) or as a step of a full sync
// (Syncer.FullSync), in the order the caller gives.
type Step string

// Steps of part 1 (catalog and stock). Orders, click & collect and vouchers (part 2) add theirs.
const (
	// StepMatchAll runs the three matches below.
	StepMatchAll Step = "match_all"
	// StepMatchCategories marks categories with the same title (under matched parents) as synced.
	StepMatchCategories Step = "match_categories"
	// StepMatchProducts marks products and variations with the same SKU as synced.
	StepMatchProducts Step = "match_products"
	// StepMatchVouchers marks coupons and vouchers with the same code as synced.
	StepMatchVouchers Step = "match_vouchers"

	// StepFetchManufacturers fetches Sitoo's manufacturers and matches them to the WooCommerce
	// "manufacturer" attribute by name.
	StepFetchManufacturers Step = "fetch_manufacturers"

	// StepFetchCategories creates the unmatched Sitoo categories in WooCommerce, keeping the tree.
	StepFetchCategories Step = "fetch_categories"
	// StepSendCategories creates the unmatched WooCommerce categories in Sitoo.
	StepSendCategories Step = "send_categories"
	// StepResyncCategories updates the matched categories in Sitoo from WooCommerce.
	StepResyncCategories Step = "resync_categories"

	// StepFetchProducts creates or updates WooCommerce products from Sitoo (variations,
	// attributes, default category, stock), as Settings.FetchProducts selects. Images are not
	// fetched: Sitoo's API gives an image only as a resourceid (a relative URL) and documents no
	// address to download its file from, which WooCommerce would need as the image's src.
	StepFetchProducts Step = "fetch_products"
	// StepSendProducts creates the unmatched WooCommerce products, variations and their
	// categories in Sitoo (an item found in Sitoo by SKU is overwritten), with images and stock.
	StepSendProducts Step = "send_products"
	// StepResyncParents updates matched simple and variable parent products in Sitoo.
	StepResyncParents Step = "resync_parents"
	// StepResyncVariations updates matched variations in Sitoo.
	StepResyncVariations Step = "resync_variations"
	// StepResyncImages recreates the images of matched products in Sitoo.
	StepResyncImages Step = "resync_images"

	// StepFetchStockChanges copies the stock changed in Sitoo since the last fetch to WooCommerce.
	StepFetchStockChanges Step = "fetch_stock_changes"
	// StepFetchStock copies the stock of every matched item from Sitoo to WooCommerce.
	StepFetchStock Step = "fetch_stock"
	// StepSendStock sends the stock of every matched item to Sitoo (Virtual warehouse, or FIFO
	// with ForceInstantStock).
	StepSendStock Step = "send_stock"
)
