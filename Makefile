# payhooks: make demo runs the main job on the bundled data, make test is
# what CI runs (with make check).

GO       ?= go
BIN      := bin/payhooks
# Fuzzing is bounded by executions, not seconds: a duration hits Go's fuzz
# coordinator race (go.dev/issue/75804, fixed in Go 1.27) and fails at random.
FUZZTIME ?= 20000x

.PHONY: all build demo test test-go fuzz check generate bench clean

all: check test

build:
	$(GO) build -o $(BIN) ./cmd/payhooks

DEMO_ENV := PAYHOOKS_FINMO_TOKEN=demo-token PAYHOOKS_RAPYD_ACCESS_KEY=demo-access \
	PAYHOOKS_RAPYD_SECRET_KEY=demo-secret PAYHOOKS_TAZAPAY_SECRET=demo-secret PAYHOOKS_AUGUSTUS_SECRET=demo-secret

## demo: the main job on the bundled data: validate the examples (clean) and the
## providers' own contradicting doc samples (drift), then receive signed deliveries
## with listen, capture them, and validate the captures.
demo: build
	@echo '$$ payhooks validate -v schemas/*/examples'
	@$(BIN) validate -v schemas/*/examples
	@echo
	@echo '$$ payhooks validate schemas/*/drift    # the providers'"'"' own doc samples: some contradict their own spec'
	@$(BIN) validate schemas/*/drift || echo "(exit status $$?: breaking drift found, as documented)"
	@echo
	@echo '$$ payhooks validate -format github schemas/tazapay/drift/checkout.paid-old-shape.json'
	@$(BIN) validate -format github schemas/tazapay/drift/checkout.paid-old-shape.json || true
	@echo
	@dir=$$(mktemp -d); trap 'kill $$pid 2>/dev/null; rm -rf $$dir' EXIT; \
	echo '$$ payhooks listen -dir captures/ &    # secrets from PAYHOOKS_* variables'; \
	$(DEMO_ENV) $(BIN) listen -addr 127.0.0.1:0 -dir $$dir/captures >$$dir/listen.out 2>$$dir/listen.err & pid=$$!; \
	for i in $$(seq 50); do url=$$(sed -n 's/.* on \(http:[^,]*\),.*/\1/p' $$dir/listen.err); [ -n "$$url" ] && break; sleep 0.1; done; \
	echo '$$ payhooks send -provider rapyd -event PAYMENT_COMPLETED -count 3 $$URL'; \
	$(DEMO_ENV) $(BIN) send -provider rapyd -event PAYMENT_COMPLETED -count 3 $$url; \
	echo '$$ payhooks send -provider tazapay -file schemas/tazapay/drift/checkout.paid-old-shape.json $$URL'; \
	$(DEMO_ENV) $(BIN) send -provider tazapay -file schemas/tazapay/drift/checkout.paid-old-shape.json $$url; \
	kill -INT $$pid; wait $$pid; \
	echo '(what listen printed, one line per delivery:)'; sed 's/^/  /' $$dir/listen.out; \
	echo '$$ payhooks validate captures/'; \
	$(BIN) validate $$dir/captures | sed "s|$$dir/||" || true

## test: every test with the race detector, then a short run of each fuzz target.
test: test-go fuzz

test-go:
	$(GO) test -race -count=1 ./...
	# allocation counts need the sync.Pool the race detector disturbs: once more without it
	$(GO) test -count=1 -run '^TestFastEngineAllocatesNothingOnCleanPayloads$$' ./validate

# Each run starts from the seed corpora: a fuzz cache grown by long local runs
# is replayed before fuzzing starts and only slows the run.
fuzz:
	$(GO) clean -fuzzcache
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzEnginesAgree$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzFastFormats$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzFields$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./generated
	$(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./generated
	$(GO) test -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook
	$(GO) test -run '^$$' -fuzz '^FuzzCaptureName$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/capture
	$(GO) test -run '^$$' -fuzz '^FuzzEscape$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/safetext

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
	$(GO) test -run '^$$' -bench HandlerStore ./webhook/redisstore

clean:
	rm -rf bin
