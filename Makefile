# payhooks: make demo runs the main job on the bundled data, make test is
# what CI runs (with make check).

GO       ?= go
BIN      := bin/payhooks
# Fuzzing is bounded by executions, not seconds: a duration hits Go's fuzz
# coordinator race (go.dev/issue/75804, fixed in Go 1.27) and fails at random.
FUZZTIME ?= 20000x
# What fuzzing finds is kept here, in the checkout, never in the Go cache the
# user's other modules share; make fuzz empties it first.
FUZZCACHE := $(CURDIR)/.fuzzcache
# pipefail: make test pipes go test through internal/testonly/testreport.
SHELL    := /bin/bash

.PHONY: all build demo test test-go fuzz check generate bench clean seaweedfs stripe stripe-import

# SeaweedFS, the S3-compatible store the object-storage tests run against:
# built from the Go module proxy into the checkout (git-ignored); Go's
# build cache makes a rebuild quick. make demo does not need it.
SEAWEEDFS_VERSION := v0.0.0-20261109003541-7506e5f91cd6
WEED := $(CURDIR)/.tools/seaweedfs/weed

all: check test

build:
	$(GO) build -o $(BIN) ./cmd/payhooks

## demo: the main job on the bundled data (demo/demo.sh says what it shows).
demo: build
	@./demo/demo.sh $(BIN)

## test: every test with the race detector, then a short run of each fuzz target.
test: test-go fuzz

# testreport prints what go test prints without -v, and each skipped test
# with its reason.
test-go: seaweedfs
	set -o pipefail; $(GO) test -race -count=1 -json ./... | $(GO) run ./internal/testonly/testreport
	# the JSON-Schema-Test-Suite tally: run in the package's folder, where go test shows what it prints
	cd validate && $(GO) test -count=1 -run '^TestJSONSchemaTestSuite$$'
	# allocation counts: the race detector adds allocations and disturbs sync.Pool, so once more without it
	# (TestRaceSkippedTestsRunWithoutRace keeps this list whole)
	$(GO) test -count=1 -run '^(TestFastEngineAllocatesNothingOnCleanPayloads|TestDeepPayloadsCostLinearMemory|TestLongNumbersCostLinearMemory|TestRunReadsAStreamIntoReusedBlocks|TestMemoryStoreAllocatesNothingADelivery|TestCoreAllocationsADelivery|TestEncoderReturnsADocumentOfItsOwn|TestParseEventSharesOnlyAnOwnedBody|TestEmptyContainersCostNothingAndComeBack)$$' ./validate ./validate/input ./webhook ./webhook/webhookimpl ./generated
	# the peers benchmark module: payhooks beside encoding/json, easyjson and jx (its own go.mod)
	cd bench/peers && $(GO) test -count=1 ./...

# Each run starts from the seed corpora: a fuzz cache grown by long local runs
# is replayed before fuzzing starts and only slows the run.
fuzz1 = $(GO) test -run '^$$' -fuzz '^$(1)$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 50x ./$(2) -args -test.fuzzcachedir=$(FUZZCACHE)/$(2)
fuzz:
	rm -rf $(FUZZCACHE)
	$(call fuzz1,FuzzCheck,validate)
	$(call fuzz1,FuzzEnginesAgree,validate)
	$(call fuzz1,FuzzEnginesAgreeOnRandomSchemas,validate)
	$(call fuzz1,FuzzFastFormats,validate)
	$(call fuzz1,FuzzMembers,webhook/webhookimpl)
	$(call fuzz1,FuzzParse,generated)
	$(call fuzz1,FuzzHandler,generated)
	$(call fuzz1,FuzzVerify,webhook)
	$(call fuzz1,FuzzFirstMemberIsMemberWithoutRepeats,webhook)
	$(call fuzz1,FuzzCaptureName,internal/capture)
	$(call fuzz1,FuzzEscape,internal/tooling/safetext)
	$(call fuzz1,FuzzSkipValid,internal/jsonscan)
	$(call fuzz1,FuzzString,internal/jsonscan)
	$(call fuzz1,FuzzNumber,internal/jsonscan)
	$(call fuzz1,FuzzPlainASCII,internal/jsonscan)
	$(call fuzz1,FuzzSkipSpace,internal/jsonscan)
	$(call fuzz1,FuzzLastMember,internal/jsonscan)
	$(call fuzz1,FuzzWalk,internal/jsonscan)
	$(call fuzz1,FuzzParseEventPaths,webhook/webhookimpl)
	$(call fuzz1,FuzzParseEventIsTheAddressingRule,webhook/webhookimpl)
	$(call fuzz1,FuzzEncodeString,webhook/webhookimpl)
	$(call fuzz1,FuzzTime,internal/lossless)
	$(call fuzz1,FuzzImport,cmd/payhooks/internal/importer)
	$(call fuzz1,FuzzInfer,cmd/payhooks/internal/infer)
	$(call fuzz1,FuzzLearn,cmd/payhooks/internal/learn)

## check: vet, formatting, go.mod tidy, and generated files up to date.
check:
	$(GO) vet ./...
	# tests that need a POSIX system say so (build tags, internal/testonly/posix)
	GOOS=windows $(GO) vet ./...
	$(GO) mod tidy -diff
	cd bench/peers && $(GO) mod tidy -diff
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
	cd bench/peers && $(GO) test -run '^$$' -bench 'Decode|Lean' -benchtime 20x
	cd bench/peers && $(GO) test -run '^$$' -bench Encode -benchmem
	$(GO) test -run '^$$' -bench 'Startup|ValidateStream' -benchtime 5x ./cmd/payhooks
	$(GO) test -run '^$$' -bench 'Drift$$' -benchmem ./cmd/payhooks/internal/bundle
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x ./generator
	$(GO) test -run '^$$' -bench Listen -benchtime 3000x ./cmd/payhooks/internal/listen
	$(GO) test -run '^$$' -bench ValidateCaptures -benchtime 3x ./cmd/payhooks
	$(GO) test -run '^$$' -bench HandlerStore ./webhook/redisstore
	$(GO) test -run '^$$' -bench Learn -benchmem ./cmd/payhooks/internal/learn
	$(GO) test -run '^$$' -bench Scaffold -benchmem -benchtime 3x ./cmd/payhooks/internal/infer
	# Stripe beside stripe-go (make stripe-import first writes what it reads)
	$(MAKE) stripe-import
	cd bench/stripe && $(GO) test -run '^$$' -bench SideBySide -benchtime 3000x .

## stripe: Stripe from its official OpenAPI document, not bundled (docs/providers.md says
## why) but imported and generated here with the commands a user runs, then its tests in
## bench/stripe (a module of its own: stripe-go and stripe-mock are no dependency of payhooks).
STRIPE := bench/stripe
stripe-import: build
	cd $(STRIPE) && $(GO) run ./internal/docs -out .docs
	cd $(STRIPE)/older && $(GO) run . -out ../.docs/spec3.beta.sdk.v0.162.0.json
	rm -rf $(STRIPE)/schemas $(STRIPE)/stripe
	./$(BIN) schemas import -provider stripe -signature stripe -out $(STRIPE)/schemas $(STRIPE)/.docs/spec3.beta.sdk.json
	./$(BIN) generate -schemas $(STRIPE)/schemas -out $(STRIPE)

# The emitter's output is vetted on every bundled provider (make check) and
# on the goldens; vetting Stripe's 392 000 lines again would cost CI a minute.
stripe: stripe-import
	cd $(STRIPE) && $(GO) mod tidy -diff
	cd $(STRIPE) && $(GO) test -count=1 ./...
	cd $(STRIPE) && $(GO) vet . ./internal/...
	cd $(STRIPE) && $(GO) test -count=1 -run '^$$' -bench . -benchtime 20x .

## seaweedfs: build the S3-compatible store the tests use, once.
seaweedfs: $(WEED)
$(WEED):
	mkdir -p $(dir $(WEED))
	dir=$$(cd "$$(mktemp -d)" && GOFLAGS=-mod=mod $(GO) mod download -json github.com/seaweedfs/seaweedfs@$(SEAWEEDFS_VERSION) | sed -n 's/^\t"Dir": "\(.*\)",$$/\1/p') && \
		test -n "$$dir" && cd "$$dir" && GOFLAGS=-mod=readonly $(GO) build -o $(WEED).tmp ./weed && mv $(WEED).tmp $(WEED)

clean:
	rm -rf bin
