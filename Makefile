# nsbox: build, test, demo, static and benchmark targets.
GO      ?= go
BIN     ?= nsbox
VERSION ?= 0.1.0
LDFLAGS := -X nsbox/nsutil.Version=$(VERSION)

# The static build: musl when Debian's musl-tools is installed, else
# static glibc, which needs the pure-Go user and DNS lookups.
MUSL := $(shell command -v musl-gcc 2>/dev/null)
ifneq ($(MUSL),)
STATIC_ENV  := CC=musl-gcc CGO_ENABLED=1
STATIC_TAGS :=
else
STATIC_ENV  := CGO_ENABLED=1
STATIC_TAGS := -tags netgo,osusergo
endif

.PHONY: all build nocgo static test deps demo bench clean

all: build

build:
	CGO_ENABLED=1 $(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

# The build without the pre-runtime stage: everything but creating or
# joining user namespaces and joining time namespaces.
nocgo:
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o $(BIN)-nocgo .

static:
	$(STATIC_ENV) $(GO) build $(STATIC_TAGS) -ldflags '$(LDFLAGS) -s -w -linkmode external -extldflags -static' -o $(BIN)-static .
	@file $(BIN)-static | grep -q 'statically linked' || { echo "$(BIN)-static is not static"; exit 1; }
	@echo "$(BIN)-static: $$(stat -c %s $(BIN)-static) bytes, statically linked"

# Tools the tests need or compare against, installed when missing, so
# that a fresh Debian machine can run the suite.
deps:
	@sh tests/deps.sh

# Everything: formatting, vet (with and without cgo), unit tests and fuzz
# seeds, and the integration tests, which build the real binaries.
test: deps
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet ./...
	CGO_ENABLED=0 $(GO) test -count=1 $$($(GO) list ./... | grep -v /tests)
	$(GO) test -count=1 ./...

# The README's first command: an isolated environment made by nsbox
# unshare: new pid, mount, uts, ipc, net, user and cgroup namespaces, a
# proc for the new pid namespace, root mapped to your user.
demo: build
	./$(BIN) unshare --pid --fork --mount-proc --mount --uts --ipc --net --user --cgroup --map-root-user \
		sh -c 'hostname nsbox-demo; echo "inside: pid $$$$, uid $$(id -u), hostname $$(hostname)"; \
		       echo "processes:"; ps -o pid,comm; echo "network:"; ip -br link; \
		       if [ -t 0 ]; then echo "a shell in there; exit it to leave"; exec sh; fi'

bench: build static
	@sh tests/bench.sh ./$(BIN)-static

clean:
	rm -f $(BIN) $(BIN)-nocgo $(BIN)-static
