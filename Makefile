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

PREFIX  ?= /usr/local
DESTDIR ?=
LINKS   ?= symbolic
# "ip" is installed only on request: nsbox's ip knows the netns object
# alone, and a link in PREFIX/sbin would hide iproute2's ip.
IP_LINK ?= no
BINDIR  := $(DESTDIR)$(PREFIX)/bin
SBINDIR := $(DESTDIR)$(PREFIX)/sbin
MANDIR  := $(DESTDIR)$(PREFIX)/share/man
COMPDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
APPLETS := unshare nsenter lsns ip-netns-lite

.PHONY: all build nocgo static test deps demo bench fuzz install uninstall release clean

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
		       if [ -t 0 ]; then echo "a shell in there; exit it to leave"; exec sh +m; fi'

# Each fuzz target for FUZZTIME (make test runs their seeds only).
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./... | grep -v /tests); do \
		for f in $$($(GO) test -list 'Fuzz.*' $$pkg | grep ^Fuzz); do \
			echo "== $$pkg $$f"; $(GO) test -run XXX -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

bench: build static
	$(STATIC_ENV) $(GO) build $(STATIC_TAGS) -ldflags '-s -w -linkmode external -extldflags -static' -o $(BIN)-floor ./tests/benchfloor
	@sh tests/bench.sh ./$(BIN)-static ./$(BIN)-floor
	@sh tests/bench_lsns.sh ./$(BIN)-static

# The static binary, its applet links, the manual pages and the bash
# completion. LINKS=hard for hard links; IP_LINK=yes adds sbin/ip.
install: static
	install -d $(BINDIR) $(SBINDIR) $(MANDIR)/man1 $(MANDIR)/man8 $(COMPDIR)
	install -m 0755 $(BIN)-static $(BINDIR)/nsbox
	for a in $(APPLETS) $$( [ "$(IP_LINK)" = yes ] && echo ip ); do \
		dir=$(BINDIR); [ $$a = ip ] && dir=$(SBINDIR); \
		rm -f $$dir/$$a; \
		if [ "$(LINKS)" = hard ]; then ln $(BINDIR)/nsbox $$dir/$$a; \
		elif [ $$a = ip ]; then ln -s ../bin/nsbox $$dir/$$a; else ln -s nsbox $$dir/$$a; fi; \
	done
	for m in $(wildcard man/*.1); do install -m 0644 $$m $(MANDIR)/man1/; done
	for m in $(wildcard man/*.8); do install -m 0644 $$m $(MANDIR)/man8/; done
	install -m 0644 completion/nsbox.bash $(COMPDIR)/nsbox
	for a in $(APPLETS); do ln -sf nsbox $(COMPDIR)/$$a; done

uninstall:
	for a in $(APPLETS); do \
		[ -L $(BINDIR)/$$a ] || [ $(BINDIR)/$$a -ef $(BINDIR)/nsbox ] && rm -f $(BINDIR)/$$a; \
		rm -f $(COMPDIR)/$$a; \
	done; true
	[ -L $(SBINDIR)/ip ] && [ "$$(readlink $(SBINDIR)/ip)" = ../bin/nsbox ] && rm -f $(SBINDIR)/ip; \
		[ $(SBINDIR)/ip -ef $(BINDIR)/nsbox ] && rm -f $(SBINDIR)/ip; true
	rm -f $(BINDIR)/nsbox $(COMPDIR)/nsbox
	for m in $(wildcard man/*.1); do rm -f $(MANDIR)/man1/$$(basename $$m); done
	for m in $(wildcard man/*.8); do rm -f $(MANDIR)/man8/$$(basename $$m); done

# Release binaries: static amd64 with the pre-runtime stage, and arm64
# without cgo (no user or time namespace joins; see README), with their
# checksums.
release:
	rm -rf dist && mkdir dist
	$(MAKE) static BIN=dist/nsbox-linux-amd64
	mv dist/nsbox-linux-amd64-static dist/nsbox-linux-amd64
	GOARCH=arm64 CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS) -s -w' -o dist/nsbox-linux-arm64-nocgo .
	cd dist && sha256sum nsbox-linux-* > SHA256SUMS
	@cat dist/SHA256SUMS

clean:
	rm -rf $(BIN) $(BIN)-nocgo $(BIN)-static $(BIN)-floor dist
