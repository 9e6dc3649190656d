# payhooks: make demo runs the main job on the bundled data, make test is
# what CI runs (with make check).

GO       ?= go
BIN      := bin/payhooks
FUZZTIME ?= 5s

.PHONY: all build demo test test-go fuzz check generate bench clean

all: check test

build:
	$(GO) build -o $(BIN) ./cmd/payhooks

## demo: validate the bundled examples (clean) and the known-drift samples.
demo: build
	@echo '$$ payhooks validate -v schemas/*/examples'
	@$(BIN) validate -v schemas/*/examples
	@echo
	@echo '$$ payhooks validate schemas/*/drift    # the providers'"'"' own docs, contradicting their spec'
	@$(BIN) validate schemas/*/drift || echo "(exit status $$?: breaking drift found, as documented)"
	@echo
	@echo '$$ payhooks validate -format github schemas/tazapay/drift/checkout.paid-old-shape.json'
	@$(BIN) validate -format github schemas/tazapay/drift/checkout.paid-old-shape.json || true

## test: every test with the race detector, then a short run of each fuzz target.
test: test-go fuzz

test-go:
	$(GO) test -race -count=1 ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzFields$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./generated
	$(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./generated
	$(GO) test -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook

## check: vet, formatting, and generated files up to date.
check:
	$(GO) vet ./...
	$(GO) vet ./generator/testdata/golden/...
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod verify
	$(GO) run ./cmd/payhooks generate -out generated -check

## generate: regenerate generated/ from the bundled schemas.
generate:
	$(GO) generate ./generated

## bench: the side-by-side benchmarks quoted in README.md.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./validate ./generated
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./generator
	$(GO) test -run '^$$' -bench Listen -benchtime 3000x ./cmd/payhooks

clean:
	rm -rf bin
