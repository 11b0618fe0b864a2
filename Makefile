# feedwatch: build, run, test and install. Every target installs what it needs on Debian.
SHELL := /bin/bash
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
SWIFT ?= $(or $(shell command -v swift),/opt/swift/usr/bin/swift)
# The C libraries feedwatch links, what SwiftPM and the Swift toolchain need on Debian 12, and the
# tools the README uses to read alerts (jq, sqlite3).
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev libjemalloc-dev pkg-config ca-certificates git \
	binutils libc6-dev libstdc++-12-dev libgcc-12-dev zlib1g-dev tzdata jq sqlite3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/feedwatch

.PHONY: deps build debug run demo test check check-systemd install uninstall clean bench

## deps: install the Debian packages feedwatch builds against, if any is missing
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@[ -x "$(SWIFT)" ] || command -v $(SWIFT) >/dev/null || { echo "no swift toolchain: put it on PATH (e.g. /opt/swift/usr/bin)"; exit 1; }

## build: release build, the Swift runtime linked in (no toolchain needed where it runs, less memory, faster start)
build: deps
	$(SWIFT) build -c release --static-swift-stdlib

## run: the daemon on the shipped config, state in ./state (git-ignored)
run: build
	$(BIN) run --config Config/feedwatch.yaml

## demo: one cycle over the bundled demo feeds (local files, no network), then the alerts
demo: build
	$(BIN) run --config Config/demo.yaml --once
	@echo; echo "== alerts in the store (feedwatch alerts --config Config/demo.yaml) =="
	@$(BIN) alerts --config Config/demo.yaml
	@echo; echo "== stories: the Arabic and English reports of the Ain al-Asad rockets are one story, one alert per topic =="
	@$(BIN) stories --config Config/demo.yaml
	@echo; echo "== the last line of the alert log, state/demo/alerts.jsonl (one JSON object per alert) =="
	@tail -n 1 state/demo/alerts.jsonl

## check: validate the shipped config, topics and entities
check: build
	$(BIN) check --config Config/feedwatch.yaml

## test: the whole suite (builds first; network tests use 127.0.0.1 only), then the unit checks
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory check-systemd BIN_FOR_UNIT=$(CURDIR)/.build/debug/feedwatch

## bench: feedwatch against newsboat, xmllint and feedparser-rs, one table (Benchmarks/suite/run.sh; 6-20 min; not part of test)
bench: deps
	SWIFT=$(SWIFT) Benchmarks/suite/run.sh

## check-systemd: `systemd-analyze verify` and an exposure of at most 1.5 (installs systemd if missing)
BIN_FOR_UNIT ?= $(CURDIR)/$(BIN)
check-systemd:
	@command -v systemd-analyze >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq systemd; }
	@tmp=$$(mktemp -d) && sed 's|/usr/local/bin/feedwatch|$(BIN_FOR_UNIT)|' systemd/feedwatch.service > $$tmp/feedwatch.service && \
		systemd-analyze verify $$tmp/feedwatch.service && echo "systemd-analyze verify: OK"; rc=$$?; rm -rf $$tmp; exit $$rc
	@exposure=$$(systemd-analyze security --offline=true systemd/feedwatch.service | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'); \
		echo "systemd-analyze security exposure: $$exposure (at most 1.5)"; \
		awk -v e="$$exposure" 'BEGIN { exit !(e != "" && e <= 1.5) }'

## install: binary, systemd unit, logrotate file, default config in /etc/feedwatch (existing config is kept)
install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/feedwatch
	install -D -m 0644 systemd/feedwatch.service $(DESTDIR)$(SYSCONFDIR)/systemd/system/feedwatch.service
	sed -i 's|/usr/local/bin/feedwatch|$(PREFIX)/bin/feedwatch|' $(DESTDIR)$(SYSCONFDIR)/systemd/system/feedwatch.service
	install -D -m 0644 systemd/feedwatch.logrotate $(DESTDIR)$(SYSCONFDIR)/logrotate.d/feedwatch
	install -d $(DESTDIR)$(SYSCONFDIR)/feedwatch
	for f in topics.yaml entities.yaml; do \
		[ -e $(DESTDIR)$(SYSCONFDIR)/feedwatch/$$f ] || install -m 0644 Config/$$f $(DESTDIR)$(SYSCONFDIR)/feedwatch/$$f; \
	done
	@# The installed config names the service's own directories, so the CLI finds the same database.
	[ -e $(DESTDIR)$(SYSCONFDIR)/feedwatch/feedwatch.yaml ] || sed \
		-e 's|^database: .*|database: /var/lib/feedwatch/feedwatch.sqlite|' \
		-e 's|^alert_log: .*|alert_log: /var/log/feedwatch/alerts.jsonl|' \
		Config/feedwatch.yaml > $(DESTDIR)$(SYSCONFDIR)/feedwatch/feedwatch.yaml
	@echo "installed; now: systemctl daemon-reload && systemctl enable --now feedwatch"

## uninstall: stop and disable the service, remove binary, unit and logrotate file; config and data stay
uninstall:
	@if [ -z "$(DESTDIR)" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then \
		systemctl disable --now feedwatch.service 2>/dev/null || true; fi
	rm -f $(DESTDIR)$(PREFIX)/bin/feedwatch $(DESTDIR)$(SYSCONFDIR)/systemd/system/feedwatch.service \
		$(DESTDIR)$(SYSCONFDIR)/logrotate.d/feedwatch
	@if [ -z "$(DESTDIR)" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "kept $(SYSCONFDIR)/feedwatch/, /var/lib/feedwatch/ and /var/log/feedwatch/; remove them by hand if wanted"

## clean: build products only (state/ holds your database and alert log: remove it by hand)
clean:
	rm -rf .build
