#!/usr/bin/env bash
# Regenerates the protobuf-c sources of proto/janus.proto into Sources/CJanusWire.
# Needs protoc-c (Debian: apt-get install protobuf-c-compiler). The output is committed,
# so building the project never needs this tool.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v protoc-c >/dev/null || { echo "protoc-c not found: apt-get install protobuf-c-compiler" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
protoc-c --proto_path=proto --c_out="$scratch" proto/janus.proto
mv "$scratch/janus.pb-c.h" Sources/CJanusWire/include/janus.pb-c.h
# The generated source includes its header by the proto's path; keep it that way.
mv "$scratch/janus.pb-c.c" Sources/CJanusWire/janus.pb-c.c
echo "generated Sources/CJanusWire/{janus.pb-c.c,include/janus.pb-c.h}"
