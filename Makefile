# billing: `make run` brings the whole product up on this machine; `make test` runs
# every test (unit and integration, against the real PostgreSQL and a real Temporal
# dev server). Go tools come from tools/go.mod: nothing else to install.

SHELL := /bin/bash
GO    ?= go
TOOLS := $(GO) tool -modfile=tools/go.mod
GOFILES := $(shell git ls-files '*.go' 2>/dev/null | grep -v '^tools/')

.PHONY: run test test-go lint generate check-generated build bench bench-scale fuzz histories screenshots clean help

help:
	@echo "make run    - Temporal dev server + PostgreSQL migrations + Asaas simulator + worker + API"
	@echo "make test   - lint, generated-code check and the whole test suite"
	@echo "make bench  - load, chaos and baseline benchmarks with a report (under 10 minutes)"
	@echo "make bench-scale - the worker's memory with 10,000 open contracts (about 9 minutes)"
	@echo "make fuzz   - every fuzz target for FUZZTIME (default 30s) each"
	@echo "make generate - regenerate sqlc code (db/dbgen) and the Go API client (apiclient)"
	@echo "make screenshots - the console's browser walk, writing its screenshots to docs/screenshots"

bin/temporal: tools/go.mod tools/go.sum
	@mkdir -p bin
	@echo "Building the temporal CLI (dev server + Web UI) from tools/go.mod; the first build takes a few minutes..."
	$(GO) build -modfile=tools/go.mod -o bin/temporal github.com/temporalio/cli/cmd/temporal

# bin/billing is the production binary; bin/billing-dev adds what development and
# testing need (dev, asaas-sim, loadtest) and is never shipped.
bin/billing: FORCE
	@mkdir -p bin
	$(GO) build -o bin/billing ./cmd/billing

bin/billing-dev: FORCE
	@mkdir -p bin
	$(GO) build -o bin/billing-dev ./cmd/billing-dev

FORCE:

build: bin/billing bin/billing-dev

run: bin/temporal bin/billing-dev
	@exec ./bin/billing-dev dev

OAPI_CODEGEN := $(TOOLS) oapi-codegen -config apiclient/oapi-codegen.yaml

generate:
	$(TOOLS) sqlc generate
	$(OAPI_CODEGEN) -o apiclient/client.gen.go api/openapi.yaml

# sqlc diff exits non-zero when db/dbgen differs from what db/queries + db/schema generate;
# the API client is generated again into a temporary file and compared.
check-generated:
	@$(TOOLS) sqlc diff || { echo "db/dbgen is stale: run 'make generate' and commit the result"; exit 1; }
	@$(TOOLS) sqlc vet
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
		$(OAPI_CODEGEN) -o "$$tmp/client.gen.go" api/openapi.yaml || exit 1; \
		diff -u apiclient/client.gen.go "$$tmp/client.gen.go" >"$$tmp/diff" || \
		{ head -40 "$$tmp/diff"; echo "apiclient/client.gen.go is stale: run 'make generate' and commit the result"; exit 1; }

lint:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test-go: bin/temporal
	TEMPORAL_CLI_PATH=$(CURDIR)/bin/temporal $(GO) test -count=1 -timeout 12m ./...

test: lint check-generated test-go

# Runs every fuzz target (func Fuzz... in a _test.go file) for FUZZTIME each; new
# crashers land in <package>/testdata/fuzz/<Target>/ and stay there as regression
# cases (plain `go test`, hence `make test`, runs them with the seed corpora).
FUZZTIME ?= 30s
fuzz:
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '^./tools/' | sort); do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "== $$target ($$(dirname $$file), $(FUZZTIME))"; \
			$(GO) test $$(dirname $$file) -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME); \
		done; \
	done

# Records workflow histories of real runs for the replay tests (workflows/testdata/histories).
# Add new ones when workflow code changes on purpose; keep the old ones.
histories: bin/temporal
	TEMPORAL_CLI_PATH=$(CURDIR)/bin/temporal $(GO) test -count=1 ./e2e -update-histories

# The load/chaos harness (billing-dev loadtest) against a stack it starts: an in-memory
# Temporal dev server, a fresh database on DATABASE_URL's server (dropped after),
# the simulator, the API and a worker process. Prints a report and writes it to
# bench/results/<time>.json and latest.json. BENCH_FLAGS scales it (billing-dev loadtest -h).
bench: bin/temporal bin/billing-dev
	./bin/billing-dev loadtest -out bench/results $(BENCH_FLAGS)

bench-scale: bin/temporal bin/billing-dev
	./bin/billing-dev loadtest -out bench/results/scale -phases scale -scale 10000 $(BENCH_FLAGS)

# The console's browser test (headless Chromium) walks the release note's steps and
# writes a screenshot of each screen to docs/screenshots (make test writes them to a
# temporary folder).
screenshots: bin/temporal
	CONSOLE_SCREENSHOTS=$(CURDIR)/docs/screenshots TEMPORAL_CLI_PATH=$(CURDIR)/bin/temporal $(GO) test -count=1 -run TestHowToUseInTheBrowser ./console

clean:
	rm -rf bin .data
