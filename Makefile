# feedwatch: build, run, test and install. Every target installs what it needs on Debian.
SHELL := /bin/bash
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkg-config ca-certificates
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/feedwatch

.PHONY: deps build debug run demo test check install uninstall clean

## deps: install the Debian packages feedwatch builds against, if any is missing
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift is not on PATH (expected /opt/swift/usr/bin)"; exit 1; }

## build: release build
build: deps
	$(SWIFT) build -c release

## run: the daemon on the shipped config, state in ./state (git-ignored)
run: build
	$(BIN) run --config Config/feedwatch.yaml

## demo: one cycle over the bundled demo feeds (local files, no network), then the alerts
demo: build
	$(BIN) run --config Config/demo.yaml --once
	@echo; echo "== alerts in the store (feedwatch alerts --config Config/demo.yaml) =="
	@$(BIN) alerts --config Config/demo.yaml
	@echo; echo "== the last line of the alert log, state/demo/alerts.jsonl (one JSON object per alert) =="
	@tail -n 1 state/demo/alerts.jsonl

## check: validate the shipped config, topics and entities
check: build
	$(BIN) check --config Config/feedwatch.yaml

## test: the whole suite (builds first; network tests use 127.0.0.1 only)
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## install: binary, systemd unit, default config in /etc/feedwatch (existing config files are kept)
install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/feedwatch
	install -D -m 0644 systemd/feedwatch.service $(DESTDIR)/etc/systemd/system/feedwatch.service
	sed -i 's|/usr/local/bin/feedwatch|$(PREFIX)/bin/feedwatch|' $(DESTDIR)/etc/systemd/system/feedwatch.service
	install -d $(DESTDIR)$(SYSCONFDIR)/feedwatch
	for f in feedwatch.yaml topics.yaml entities.yaml; do \
		[ -e $(DESTDIR)$(SYSCONFDIR)/feedwatch/$$f ] || install -m 0644 Config/$$f $(DESTDIR)$(SYSCONFDIR)/feedwatch/$$f; \
	done

## uninstall: remove what install put in place, except edited config
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/feedwatch $(DESTDIR)/etc/systemd/system/feedwatch.service

clean:
	rm -rf .build state
