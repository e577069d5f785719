#!/usr/bin/env bash
# Runs the store tests against a real, throwaway PostgreSQL server from Debian's packages (each on
# SQLite too), and writes Jest's JSON report:
#   - the snapshot store (plugins/datadog-ecs-backend/src/inventory/SnapshotStore.test.ts), and the
#     snapshot versions its triggers bump for the read cache (src/snapshotReads.test.ts: bumped at
#     commit, unseen by another connection before it),
#   - the rollout store (src/rollout/RolloutStore.test.ts: leases, fencing, concurrent inserts and
#     claims from two connection pools), and the plugin's migrations by replicas starting at once
#     (src/migrate.test.ts),
#   - two backend replicas as processes on one database (src/rollout/replicas.postgres.test.ts:
#     simultaneous starts, SIGKILL mid-rollout, the scheduled refresh once per period), which
#     writes the crash matrix next to the report (crash-matrix.md) and this script prints it.
#
#   scripts/test-postgres.sh <jest-json-output>
#
# The server comes from scripts/postgres.sh: Debian's `postgresql` package, installed when its
# binaries are missing and we are root (otherwise it says how to get it and this exits 1), in a
# temporary directory, as an unprivileged user, on 127.0.0.1 only, stopped and deleted on exit.
# Fails when a test file of the report holds no PostgreSQL test, so a run that silently fell back
# to SQLite does not pass.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"

[ $# -eq 1 ] || die "usage: scripts/test-postgres.sh <jest-json-output>"
OUT="$1"
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"

STORE_TESTS=(
  "plugins/datadog-ecs-backend/src/inventory/SnapshotStore.test.ts"
  "plugins/datadog-ecs-backend/src/snapshotReads.test.ts"
  "plugins/datadog-ecs-backend/src/rollout/RolloutStore.test.ts"
  "plugins/datadog-ecs-backend/src/migrate.test.ts"
  "plugins/datadog-ecs-backend/src/rollout/replicas.postgres.test.ts"
)
export DDECS_CRASH_MATRIX_FILE="$(dirname "$OUT")/crash-matrix.md"
rm -f "$DDECS_CRASH_MATRIX_FILE"
# The PostgreSQL versions the store tests know (their TestDatabases ids).
SUPPORTED_MAJORS="15 16 17"

# A server the developer already runs: use it as it is.
if env | grep -qE '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]+_CONNECTION_STRING='; then
  log "Store tests on the PostgreSQL server given by BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING"
  ensure_node
  cd "$ROOT"
  code=0
  yarn_cmd backstage-cli repo test "${STORE_TESTS[@]}" --json --outputFile="$OUT" || code=$?
  [ -f "$DDECS_CRASH_MATRIX_FILE" ] && cat "$DDECS_CRASH_MATRIX_FILE" >&2
  exit "$code"
fi

if ! start_throwaway_postgres "the store tests"; then
  printf '  or set BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING (NN in %s) to a server\n' "$SUPPORTED_MAJORS" >&2
  printf '  you own and run: yarn backstage-cli repo test %s\n' "${STORE_TESTS[*]}" >&2
  exit 1
fi
MAJOR="$PG_MAJOR"
case " $SUPPORTED_MAJORS " in
  *" $MAJOR "*) ;;
  *) die "PostgreSQL $MAJOR ($PG_BIN) is not one the store tests cover ($SUPPORTED_MAJORS)" ;;
esac

export "BACKSTAGE_TEST_DATABASE_POSTGRES${MAJOR}_CONNECTION_STRING=$PG_URL"
export CI=true

ensure_node
cd "$ROOT"
log "Store tests on PostgreSQL $MAJOR (and SQLite): ${STORE_TESTS[*]}"
code=0
yarn_cmd backstage-cli repo test "${STORE_TESTS[@]}" --json --outputFile="$OUT" || code=$?

[ -f "$OUT" ] || die "Jest wrote no report to $OUT"
[ -f "$DDECS_CRASH_MATRIX_FILE" ] && cat "$DDECS_CRASH_MATRIX_FILE" >&2
# Every file ran PostgreSQL tests (passed or not), none silently on SQLite alone.
if ! node -e '
  const r = require(process.argv[1]);
  const files = process.argv.slice(3);
  let missing = 0;
  for (const file of files) {
    const suite = r.testResults.find(s => s.name.endsWith(file));
    const pg = (suite ? suite.assertionResults : [])
      .filter(a => a.fullName.includes("POSTGRES_" + process.argv[2]) && a.status !== "pending");
    console.error(`${pg.length} PostgreSQL ${process.argv[2]} test(s) in ${file}`);
    if (pg.length === 0) missing++;
  }
  process.exit(missing ? 1 : 0);
' "$OUT" "$MAJOR" "${STORE_TESTS[@]}"; then
  printf '\033[1;31merror:\033[0m a store test file ran no PostgreSQL test (is POSTGRES_%s among its TestDatabases ids?)\n' "$MAJOR" >&2
  exit 1
fi
exit "$code"
