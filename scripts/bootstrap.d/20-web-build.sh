#!/usr/bin/env bash
# The web app the server serves at /; rebuilt only when web/ sources changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec node "$ROOT/scripts/build-web.mjs"
