#!/usr/bin/env bash
# mediasoup's prebuilt worker downloads from outside, so bootstrap builds it against Debian
# libraries; the build script returns at once when the cached binary for this version exists.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec nice -n 10 bash "$ROOT/scripts/build-mediasoup-worker.sh" "$ROOT/node_modules/mediasoup"
