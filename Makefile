# gitopsctl — entry points. `make demo` and `make test` install what they need first.
SWIFT ?= swift
BIN_DEBUG   := .build/debug/gitopsctl
BIN_RELEASE := .build/release/gitopsctl

.PHONY: deps build release demo test bench generate clean

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

# Linux: a non-PIE executable. PIE made the dynamic loader apply ~77,000 relative relocations
# (and fault in their pages) on every start: -2.3 ms of a 10 ms `decrypt`, -1.5 ms of `version`.
RELEASE_LINK := $(if $(filter Linux,$(shell uname -s)),-Xswiftc -Xclang-linker -Xswiftc -no-pie)

release: deps
	$(SWIFT) build -c release --static-swift-stdlib $(RELEASE_LINK)

# The main job on the sample repository.
demo: release
	@scripts/demo $(BIN_RELEASE)

# Builds once (tests included) and runs every test, the interop ones against the real tools.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Side-by-side benchmarks against the reference tools, release build.
bench: release
	@scripts/bench $(BIN_RELEASE)

# Regenerates completions/ and man/ from the command definitions.
generate: build
	$(BIN_DEBUG) completion bash > completions/gitopsctl.bash
	$(BIN_DEBUG) completion zsh > completions/_gitopsctl
	$(BIN_DEBUG) completion fish > completions/gitopsctl.fish
	$(BIN_DEBUG) man --output man

clean:
	rm -rf .build
