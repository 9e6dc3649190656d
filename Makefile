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

## demo: the main job on the bundled data (demo/demo.sh says what it shows).
demo: build
	@./demo/demo.sh $(BIN)

## test: every test with the race detector, then a short run of each fuzz target.
test: test-go fuzz

test-go:
	$(GO) test -race -count=1 ./...
	# the JSON-Schema-Test-Suite tally: run in the package's folder, where go test shows what it prints
	cd validate && $(GO) test -count=1 -run '^TestJSONSchemaTestSuite$$'
	# allocation counts: the race detector adds allocations and disturbs sync.Pool, so once more without it
	$(GO) test -count=1 -run '^TestFastEngineAllocatesNothingOnCleanPayloads$$' ./validate
	# the peers benchmark module: payhooks beside encoding/json, easyjson and jx (its own go.mod)
	cd bench/peers && $(GO) test -count=1 ./...

# Each run starts from the seed corpora: a fuzz cache grown by long local runs
# is replayed before fuzzing starts and only slows the run.
fuzz:
	$(GO) clean -fuzzcache
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzEnginesAgree$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzEnginesAgreeOnRandomSchemas$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzFastFormats$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./validate
	$(GO) test -run '^$$' -fuzz '^FuzzMembers$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook/webhookimpl
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./generated
	$(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./generated
	$(GO) test -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook
	$(GO) test -run '^$$' -fuzz '^FuzzCaptureName$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/capture
	$(GO) test -run '^$$' -fuzz '^FuzzEscape$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/safetext
	$(GO) test -run '^$$' -fuzz '^FuzzSkipValid$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/jsonscan
	$(GO) test -run '^$$' -fuzz '^FuzzString$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/jsonscan
	$(GO) test -run '^$$' -fuzz '^FuzzNumber$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/jsonscan
	$(GO) test -run '^$$' -fuzz '^FuzzPlainASCII$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/jsonscan
	$(GO) test -run '^$$' -fuzz '^FuzzLastMember$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/jsonscan
	$(GO) test -run '^$$' -fuzz '^FuzzParseEventPaths$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook/webhookimpl
	$(GO) test -run '^$$' -fuzz '^FuzzEncodeString$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./webhook/webhookimpl
	$(GO) test -run '^$$' -fuzz '^FuzzImport$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/importer
	$(GO) test -run '^$$' -fuzz '^FuzzInfer$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/infer
	$(GO) test -run '^$$' -fuzz '^FuzzLearn$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./internal/learn

## check: vet, formatting, and generated files up to date.
check:
	$(GO) vet ./...
	$(GO) vet ./generator/testdata/golden/...
	cd bench/peers && $(GO) vet ./...
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod verify
	$(GO) run ./cmd/payhooks generate -out generated -check

## generate: regenerate generated/ from the bundled schemas.
generate:
	$(GO) generate ./generated

## bench: the side-by-side benchmarks quoted in README.md.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./validate ./generated
	cd bench/peers && $(GO) test -run '^$$' -bench . -benchmem
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./generator
	$(GO) test -run '^$$' -bench Listen -benchtime 3000x ./cmd/payhooks
	$(GO) test -run '^$$' -bench HandlerStore ./webhook/redisstore
	$(GO) test -run '^$$' -bench Learn -benchmem ./internal/learn

clean:
	rm -rf bin
