#!/usr/bin/env bash
# Installs the Debian packages SlmOps needs on a fresh Debian 12 machine.
# Idempotent: packages already installed are skipped, and `apt-get update` runs only
# when something is actually missing. Works as root or through sudo.
#
#   deploy/install.sh            install what is missing
#   deploy/install.sh --check    only report what is missing (exit 1 if anything is)
set -euo pipefail

log() { printf '[install] %s\n' "$*"; }

# Why each package is here (see shared PACKAGES.md):
#   postgresql            the database (a private cluster is started by deploy/stack.sh)
#   rabbitmq-server       the message broker (private node started by deploy/stack.sh)
#   libtorch-dev          libtorch headers + libraries for the SlmOps.Torch native shim (CPU)
#   libgloo-dev           gloo's headers, which libtorch's c10d ProcessGroupGloo.hpp includes (torch.distributed in the shim)
#   libopenblas0-pthread  fast BLAS for libtorch on CPU (reference BLAS is ~8x slower)
#   python3-torch         PyTorch, the numerical oracle for SlmOps.Torch tests and benchmarks
#   chromium              headless browser for the end-to-end tests (Playwright drives /usr/bin/chromium)
#   chromium-driver       chromedriver matching the browser, for WebDriver-based checks of the same Chromium
#   docker-compose        validates docker-compose.yml (`docker-compose config -q`) without an engine
#   cmake, g++, make,     build the native libtorch shim (ninja: fast incremental rebuilds)
#   ninja-build
#   curl                  readiness probes in deploy/up.sh
#   ca-certificates       TLS for the package feeds
PACKAGES=(
    postgresql
    rabbitmq-server
    libtorch-dev
    libgloo-dev
    libopenblas0-pthread
    python3-torch
    chromium
    chromium-driver
    docker-compose
    cmake
    g++
    make
    ninja-build
    curl
    ca-certificates
    fortunes-min  # English text corpus for the demo and `slmops-local experiment compare` (src/SlmOps.Cli/README.md)
)
# Node.js and npm run the official openai client against the serving host (tests/SlmOps.Serving.Tests/openai-client);
# Debian's packages only where the machine has no node of its own (these machines ship Node 20).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

is_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == "installed" ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if is_installed "$pkg"; then
        log "present: $pkg"
    else
        missing+=("$pkg")
    fi
done

if [[ "${1:-}" == "--check" ]]; then
    if ((${#missing[@]})); then
        log "missing: ${missing[*]}"
        exit 1
    fi
    log "all ${#PACKAGES[@]} packages present"
    exit 0
fi

if ((${#missing[@]} == 0)); then
    log "all ${#PACKAGES[@]} packages present; nothing to install"
else
    if [[ "$(id -u)" == 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        log "ERROR: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    log "missing: ${missing[*]}"
    log "running: apt-get update"
    "${as_root[@]}" apt-get update -q
    log "running: apt-get install -y --no-install-recommends ${missing[*]}"
    "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
    log "installed: ${missing[*]}"
fi

# .NET is not a Debian package; it must already be on PATH (the machines here ship it).
if command -v dotnet >/dev/null 2>&1; then
    log "dotnet $(dotnet --version) on PATH"
else
    log "WARNING: dotnet (SDK 10) is not on PATH; install the .NET 10 SDK to build SlmOps" >&2
fi
