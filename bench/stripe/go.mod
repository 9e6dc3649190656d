module github.com/payhooks/payhooks/bench/stripe

go 1.25.0

require (
	github.com/payhooks/payhooks v0.0.0
	github.com/stripe/stripe-go/v82 v82.5.1
	github.com/stripe/stripe-mock v0.203.0
	github.com/stretchr/testify v1.12.1
)

replace github.com/payhooks/payhooks => ../..
