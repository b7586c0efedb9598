module github.com/loyalsync/loyalsync/woocommerce/internal/peerbench

go 1.25.0

require (
	github.com/govalues/decimal v0.1.36
	github.com/json-iterator/go v1.1.12
	github.com/loyalsync/loyalsync v0.0.0
)

require (
	github.com/dghubble/oauth1 v0.7.3 // indirect
	github.com/goccy/go-json v0.12.0 // indirect
	github.com/google/go-querystring v1.2.0 // indirect
	github.com/hashicorp/go-cleanhttp v0.5.2 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
	github.com/modern-go/concurrent v0.0.0-20180228061459-e0a39a4cb421 // indirect
	github.com/modern-go/reflect2 v1.0.2 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/loyalsync/loyalsync => ../../..
