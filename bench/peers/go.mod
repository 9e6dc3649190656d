module github.com/payhooks/payhooks/bench/peers

go 1.25.0

require (
	github.com/go-faster/jx v1.2.0
	github.com/mailru/easyjson v0.9.2
	github.com/payhooks/payhooks v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/go-faster/errors v0.7.1 // indirect
	github.com/josharian/intern v1.0.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v5 v5.3.1 // indirect
	github.com/segmentio/asm v1.2.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.42.0 // indirect
)

replace github.com/payhooks/payhooks => ../..
