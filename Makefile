# Every target installs what it needs first, so each works on a fresh clone.
.PHONY: build test demo endpoint bench bench-quick bench-delegation typecheck clean

NODE_DEPS := node_modules/.package-lock.json

build: $(NODE_DEPS)
	node scripts/build.mjs

$(NODE_DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

typecheck: build
	npx tsc --noEmit -p .

test: build typecheck
	npx tap

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

clean:
	rm -rf bin dist .tap src/protocol/descriptors.generated.json src/upstream/tfplugin5.generated.json
