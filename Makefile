# nsbox: build, test, demo, static and benchmark targets.
GO      ?= go
BIN     ?= nsbox
VERSION ?= 0.1.0
LDFLAGS := -X nsbox/nsutil.Version=$(VERSION)

.PHONY: all build nocgo test deps demo static bench clean

all: build

build:
	CGO_ENABLED=1 $(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

# The build without the pre-runtime stage: everything but creating or
# joining user namespaces and joining time namespaces.
nocgo:
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o $(BIN)-nocgo .

# Tools the tests compare against or need (newuidmap, musl-gcc, setpriv,
# ip): installed when missing, so a fresh Debian machine can run make test.
deps:
	@sh tests/deps.sh

test: deps
	gofmt -l . | (! grep .) || { echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet ./...
	$(GO) test -count=1 ./...
	CGO_ENABLED=0 $(GO) test -count=1 $$($(GO) list ./... | grep -v /tests)

# The README's first command: an isolated environment, made by nsbox
# unshare, with new pid, mount, uts, ipc, net, user and cgroup namespaces,
# /proc mounted for the new pid namespace and root mapped.
demo: build
	./$(BIN) unshare --pid --fork --mount-proc --mount --uts --ipc --net --user --cgroup --map-root-user \
		sh -c 'hostname nsbox-demo; echo "inside: pid $$$$, uid $$(id -u), hostname $$(hostname)"; \
		       echo "processes:"; ps -o pid,comm; echo "network:"; ip -br link; \
		       if [ -t 0 ]; then echo "starting a shell; exit it to leave"; exec sh; fi'

static:
	@sh tests/static.sh $(BIN)-static '$(LDFLAGS)'

bench: build
	@sh tests/bench.sh ./$(BIN)

clean:
	rm -f $(BIN) $(BIN)-nocgo $(BIN)-static
