#!/usr/bin/env bash
# Installs the Debian packages that building and testing Janus needs on a fresh machine.
# Swift itself (6.3 or newer) must already be on PATH.
set -euo pipefail

packages=(
  pkg-config
  libzmq3-dev          # ZeroMQ transport between the processes
  libopenblas-dev      # cblas_sgemm for the matmul kernels
  libpng-dev           # PNG input and output
  libjpeg62-turbo-dev  # JPEG input
  libprotobuf-c-dev    # wire-protocol headers (generated C is committed)
  iproute2             # tests: the cluster in network namespaces (one per node)
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}"

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: swift is not on PATH; install Swift 6.3 (https://swift.org/install) and re-run" >&2
  exit 1
fi
echo "setup: native dependencies installed"
