# pgdumpkit — build, demo, test and documentation entry points.
#
#   make            build the release binary (installs the build dependencies if missing)
#   make demo       build, then run `pgdumpkit info` and `pgdumpkit list` on testdata/sample/chinook.dump
#   make test       install build dependencies and pg_restore oracles, check the layers (scripts/check-layers.sh),
#                   build everything warning-free with SwiftPM's import check, then swift test
#   make testdata   regenerate testdata/ with real pg_dump/pg_restore (scripts/make-testdata.sh)
#   make man        regenerate man/ from the CLI (scripts/gen-man.sh)
#   make clean      remove the build directory
#
# SCRATCH_PATH=dir selects another SwiftPM build directory (default .build).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

SCRATCH_PATH ?=
SWIFT_FLAGS := $(if $(SCRATCH_PATH),--scratch-path $(SCRATCH_PATH))
SAMPLE := testdata/sample/chinook.dump

.PHONY: build demo test testdata man clean deps

deps:
	@scripts/install-deps.sh

# The release binary links the Swift runtime statically: every command starts about 2 ms sooner, which is
# most of what `list` costs (bench/RESULTS.md). It also leaves out the run-time exclusivity checks, which cost
# a third of the CPU time on archives of many small rows; the tests (debug builds) keep them, so a conflicting
# access still fails there.
RELEASE_FLAGS := -c release --static-swift-stdlib --product pgdumpkit -Xswiftc -enforce-exclusivity=unchecked

build: deps
	swift build $(RELEASE_FLAGS) $(SWIFT_FLAGS)

demo: build
	@bin="$$(swift build $(RELEASE_FLAGS) $(SWIFT_FLAGS) --show-bin-path)/pgdumpkit"; \
	printf '\n==> pgdumpkit info %s\n\n' "$(SAMPLE)"; \
	"$$bin" info "$(SAMPLE)"; \
	printf '\n==> pgdumpkit list %s   (the same output as pg_restore -l)\n\n' "$(SAMPLE)"; \
	"$$bin" list "$(SAMPLE)"

test: deps
	@printf '==> installing the pg_restore oracles (scripts/install-oracles.sh)\n'
	@oracles="$$(scripts/install-oracles.sh | tail -n 1)"; \
	export PGDUMPKIT_ORACLES="$$oracles"; \
	echo "PGDUMPKIT_ORACLES=$$PGDUMPKIT_ORACLES"; \
	scripts/check-layers.sh; \
	log="$$(mktemp)"; trap 'rm -f "$$log"' EXIT; \
	swift build $(SWIFT_FLAGS) --build-tests --explicit-target-dependency-import-check error 2>&1 | tee "$$log"; \
	warnings="$$(grep -E ': warning: ' "$$log" | grep -E "^($$PWD/)?(Sources|Tests|Fuzz)/" || true)"; \
	if [[ -n "$$warnings" ]]; then \
		printf '%s\n' "$$warnings" >&2; \
		echo "make test: the build printed warnings; it must be warning-free (a clean build shows them all)" >&2; exit 1; \
	fi; \
	swift test $(SWIFT_FLAGS) --skip-build --parallel; \
	bin="$$(swift build $(SWIFT_FLAGS) --show-bin-path)/pgdumpkit"; \
	printf '==> restoring converted archives with real pg_restore (scripts/check-restore.sh)\n'; \
	scripts/check-restore.sh "$$bin"

testdata:
	scripts/make-testdata.sh

man:
	SCRATCH_PATH="$(SCRATCH_PATH)" scripts/gen-man.sh

clean:
	rm -rf "$(or $(SCRATCH_PATH),.build)"
