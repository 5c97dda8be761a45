# OSS Lite. `make run` starts the desktop app; `make test` runs every test; `make check` is the fast
# loop. Each installs what it needs on a fresh Debian machine first (apt packages, npm packages,
# tauri-driver, the SDK venv).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
VENV := target/sdk-venv
TAURI_DRIVER := $(HOME)/.cargo/bin/tauri-driver
TAURI_DRIVER_VERSION := 2.1.0

APT_BUILD := build-essential pkg-config file libssl-dev libdbus-1-dev libxdo-dev librsvg2-dev \
	libgtk-3-dev libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libayatana-appindicator3-dev
APT_RUN := xvfb xauth dbus-x11 gnome-keyring libsecret-tools xdotool xclip x11-utils
APT_TEST := webkit2gtk-driver imagemagick python3-venv python3-gi gir1.2-gtk-3.0 chromium chromium-driver

# Installs the named Debian packages that are missing, and only those.
define apt_ensure
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q 'ok installed' || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

.PHONY: help run test check bindings deps-build deps-run deps-test ui ui-deps app sdk-venv tauri-driver \
	lint test-rust test-sdk test-ui test-e2e bench bench-presign bench-list bench-transfer bench-manage bench-app-browse bench-app-transfer \
	bench-search bench-preview fonts-cjk package test-package bench-app-start

help:
	@echo "make run    build and start the desktop app (installs what is missing)"
	@echo "make test   install test dependencies and run every test"
	@echo "make check  the fast loop: fmt, clippy, svelte-check, and the tests that need no keyring, SDK or window"
	@echo "make bench  run the benchmarks (figures in README's Performance section)"
	@echo "make bindings  regenerate ui/src/lib/bindings/ (TypeScript of the IPC types) from the Rust types"

deps-build:
	$(call apt_ensure,$(APT_BUILD))

deps-run:
	$(call apt_ensure,$(APT_RUN))

deps-test:
	$(call apt_ensure,$(APT_TEST))

ui-deps: ui/node_modules/.package-lock.json

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error

# The UI is embedded into the binary at compile time, so it is built first.
ui: ui-deps
	cd ui && npm run build

app: deps-build ui
	cargo build -p osslite

# Starts the app; without a display (a headless machine) it runs under Xvfb with a session bus and
# an unlocked GNOME keyring (tests/e2e/desktop-session.sh), and says so. On a desktop it uses the
# user's own session (a private bus only when there is none).
run: deps-build deps-run fonts-cjk app
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "No display found: running OSS Lite under Xvfb with its own session keyring (Ctrl-C to stop)."; \
		OSSLITE_SESSION=user exec tests/e2e/desktop-session.sh ./target/debug/osslite; \
	elif [ -z "$${DBUS_SESSION_BUS_ADDRESS:-}" ]; then \
		exec dbus-run-session -- ./target/debug/osslite; \
	else \
		exec ./target/debug/osslite; \
	fi

# Chinese text needs a CJK font; a bare machine has none. The small WenQuanYi Micro Hei is enough.
fonts-cjk:
	$(call apt_ensure,fontconfig)
	@if [ -z "$$(fc-list :lang=zh)" ]; then \
		echo "No Chinese font found: installing fonts-wqy-microhei."; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null; \
	fi

sdk-venv: $(VENV)/.installed

$(VENV)/.installed: tests/sdk/requirements.txt
	$(call apt_ensure,python3-venv)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/sdk/requirements.txt
	touch $@

tauri-driver:
	@[ -x "$(TAURI_DRIVER)" ] || cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)

# Regenerates the TypeScript of the IPC types (ui/src/lib/bindings/) from the Rust types.
bindings:
	OSSLITE_WRITE_BINDINGS=1 cargo test --quiet -p osslite --lib bindings::

lint: ui-deps
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	cd ui && npm run --silent check

test-rust: sdk-venv
	OSSLITE_SDK_PYTHON=$(CURDIR)/$(VENV)/bin/python cargo test --workspace

# Tests named needs_keyring_* start a D-Bus session with a GNOME keyring; needs_sdk_* run the
# official Python SDK from the venv. `make check` leaves both out by name (libtest's --skip), and
# cargo reports them as filtered out; `make test` runs them.
SKIP_SLOW_SETUP := --skip needs_keyring_ --skip needs_sdk_

# The fast loop: no keyring, no SDK venv, no window, no apt packages beyond the build's.
check: deps-build ui
	$(MAKE) --no-print-directory lint
	cargo test --workspace --quiet -- $(SKIP_SLOW_SETUP)
	cd ui && npm test

# The official Python SDK against the sandbox (the CLI binary serves it).
test-sdk: sdk-venv
	cargo build --quiet -p osslite-cli
	$(VENV)/bin/python -m pytest -q tests/sdk

test-ui: ui-deps deps-test
	cd ui && npm test
	cd ui && npm run --silent test:flows

test-e2e: deps-run deps-test app tauri-driver
	cargo build --quiet -p osslite-cli
	TAURI_DRIVER=$(TAURI_DRIVER) OSSLITE_APP=$(CURDIR)/target/debug/osslite tests/e2e/run.sh

test: deps-build deps-run deps-test ui sdk-venv tauri-driver
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-rust
	$(MAKE) --no-print-directory test-sdk
	$(MAKE) --no-print-directory test-ui
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-package

bench: bench-presign bench-list bench-transfer bench-manage bench-app-browse bench-app-transfer bench-search bench-preview

bench-presign: sdk-venv
	cargo bench -p osslite-core --bench presign
	tests/bench/presign-compare.sh 100000

bench-list: sdk-venv
	tests/bench/list-compare.sh 100000

bench-transfer: sdk-venv
	tests/bench/transfer-compare.sh 2048 8 4

# A 20 MB JPEG previewed in the real window: click → thumbnail loaded, median of 9 (release builds).
# A 20 MB JPEG previewed in the real window: click → thumbnail loaded, median of 9 (release builds).
bench-preview: deps-build deps-run deps-test ui-deps tauri-driver
	TAURI_DRIVER=$(TAURI_DRIVER) tests/bench/app-preview.sh 9

# `osslite-cli find` over 100,000 objects of a sandbox, to the last result.
bench-search:
	tests/bench/search-bench.sh 100000

# Moving 10,000 objects and copying one 5 GiB object on the server, against the Python SDK.
bench-manage: sdk-venv
	tests/bench/manage-compare.sh 10000 5120 64 8

# 100,000 objects in one folder, browsed and exported in the real window (release build).
bench-app-browse: deps-build deps-run deps-test ui-deps tauri-driver
	TAURI_DRIVER=$(TAURI_DRIVER) tests/bench/app-browse.sh 100000

# 2 GiB up and down through the real window and with osslite-cli cp, 5 rounds (release builds).
bench-app-transfer: deps-build deps-run deps-test ui-deps tauri-driver
	$(call apt_ensure,time)
	TAURI_DRIVER=$(TAURI_DRIVER) tests/bench/app-transfer.sh 2048 5

# The .deb and .rpm (Tauri bundler from ui's @tauri-apps/cli), release profile: fat LTO, stripped.
# osslite-cli is staged in target/package/ for tauri.conf.json's bundle.linux.{deb,rpm}.files.
TAURI_CLI := ui/node_modules/.bin/tauri

package: deps-build ui
	cargo build --release -p osslite-cli
	mkdir -p target/package && cp target/release/osslite-cli target/package/osslite-cli
	$(TAURI_CLI) build --ci --bundles deb,rpm
	for deb in target/release/bundle/deb/*.deb; do tests/package/repack-xz.sh "$$deb"; done
	@ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

# The install test: a .deb of the debug build (the release build's fat LTO is too slow for CI; the
# package is laid out the same), installed with apt, the installed app run through the real-window
# harness, the installed CLI run, then purged and checked gone (tests/package/install-test.sh).
test-package: deps-build deps-run deps-test ui tauri-driver
	cargo build -p osslite-cli
	mkdir -p target/package && cp target/debug/osslite-cli target/package/osslite-cli
	$(TAURI_CLI) build --ci --debug --bundles deb
	TAURI_DRIVER=$(TAURI_DRIVER) tests/package/install-test.sh target/debug/bundle/deb/*.deb

# Cold start (median of 10) and idle memory of every process, release build under Xvfb (no GPU).
bench-app-start: deps-build deps-run deps-test ui-deps tauri-driver
	TAURI_DRIVER=$(TAURI_DRIVER) tests/bench/app-start.sh 10
