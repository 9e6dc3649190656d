module github.com/payhooks/payhooks/bench/stripe/older

go 1.25.0

require github.com/stripe/stripe-mock v0.162.0
