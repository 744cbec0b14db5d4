# The two set-up commands of the README: `make verify` (the main job) and `make test`.
# Both install missing system packages first (scripts/setup.sh: m4 for rug's bundled GMP).

CARGO ?= cargo

.PHONY: setup verify test lint bench

setup:
	@bash scripts/setup.sh

verify: setup
	$(CARGO) run --release --bin racah -- verify

test: setup
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

bench: setup
	$(CARGO) bench --workspace
