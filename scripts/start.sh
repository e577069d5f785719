#!/usr/bin/env bash
# Quick start: installs what is missing (Node 22+ into .toolchain/, dependencies), then starts the
# portal on its embedded defaults — the ECS emulator with the demo+managed fleet, SQLite, development
# sign-in — on http://localhost:3000 (backend http://localhost:7007). Ctrl-C stops everything.
#
#   scripts/start.sh                 the whole portal
#   scripts/start.sh --backend-only  the emulator and the backend
#   scripts/start.sh --replicas 2    the backend as 2 replicas on one throwaway PostgreSQL (Debian's
#                                    postgresql, installed when missing, as the test command does),
#                                    on :7101 and :7102 behind a round-robin balancer on :7007
#   scripts/start.sh --fleet F       the emulator's fleet: demo+managed (the default: the demo fleet
#                                    with its ECS Managed Instances clusters), demo, or
#                                    scale:<clusters>x<instances> (e.g. scale:100x100, 10,000 instances)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_deps
cd "$ROOT"

replicas=1
args=("$@")
for i in "${!args[@]}"; do
  if [ "${args[$i]}" = "--replicas" ]; then replicas="${args[$((i + 1))]:-}"; fi
done
case "$replicas" in
  ''|*[!0-9]*) die "--replicas takes a number" ;;
esac

if [ "$replicas" -le 1 ]; then
  exec node scripts/portal.mjs "$@"
fi

# Several replicas share one PostgreSQL database: a throwaway server, stopped and deleted on exit.
source "$ROOT/scripts/postgres.sh"
start_throwaway_postgres "$replicas backend replicas" || exit 1
export DDECS_POSTGRES_URL="$PG_URL"
code=0
node scripts/portal.mjs "$@" || code=$?
exit "$code"
