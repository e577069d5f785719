#!/usr/bin/env bash
# Quick start: installs what is missing (Node 22+ into .toolchain/, dependencies), then starts the
# portal on its embedded defaults — the ECS emulator with the demo fleet, SQLite, development
# sign-in — on http://localhost:3000 (backend http://localhost:7007). Ctrl-C stops everything.
#
#   scripts/start.sh                 the whole portal
#   scripts/start.sh --backend-only  the emulator and the backend
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_deps
cd "$ROOT"
exec node scripts/portal.mjs "$@"
