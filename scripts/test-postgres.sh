#!/usr/bin/env bash
# Runs the snapshot-store tests (plugins/datadog-ecs-backend/src/inventory/SnapshotStore.test.ts)
# against a real, throwaway PostgreSQL server from Debian's packages, and writes Jest's JSON report.
#
#   scripts/test-postgres.sh <jest-json-output>
#
# Installs the `postgresql` package when its server binaries are missing and we are root;
# otherwise explains how to get it and exits 1. The server lives in a temporary directory, runs
# as an unprivileged user (postgres when we are root), listens on 127.0.0.1 only, and is stopped
# and deleted on exit. Fails when the report holds no PostgreSQL test, so a run that silently
# fell back to SQLite does not pass.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 1 ] || die "usage: scripts/test-postgres.sh <jest-json-output>"
OUT="$1"
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"

STORE_TEST="plugins/datadog-ecs-backend/src/inventory/SnapshotStore.test.ts"
# The PostgreSQL versions the store test knows (its TestDatabases ids).
SUPPORTED_MAJORS="15 16 17"

# The newest server installed by Debian's postgresql-NN packages.
pg_bindir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] || continue
    best="$dir"
  done
  if [ -z "$best" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    best="$(dirname "$(command -v initdb)")" # e.g. Homebrew on a laptop
  fi
  [ -n "$best" ] && printf '%s\n' "$best" | sort -V | tail -1
}

# A server the developer already runs: use it as it is.
if env | grep -qE '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]+_CONNECTION_STRING='; then
  log "Snapshot-store tests on the PostgreSQL server given by BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING"
  ensure_node
  cd "$ROOT"
  yarn_cmd backstage-cli repo test "$STORE_TEST" --json --outputFile="$OUT"
  exit $?
fi

PG_BIN="$(pg_bindir || true)"
if [ -z "$PG_BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing PostgreSQL from Debian's packages (apt-get install postgresql)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1 \
      || die "apt-get install postgresql failed"
    PG_BIN="$(pg_bindir || true)"
  fi
fi
if [ -z "$PG_BIN" ]; then
  printf '\033[1;31merror:\033[0m no PostgreSQL server found for the store tests. Either:\n' >&2
  printf '  sudo apt-get install postgresql            (Debian/Ubuntu; then run this script again)\n' >&2
  printf '  or set BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING (NN in %s) to a server\n' "$SUPPORTED_MAJORS" >&2
  printf '  you own and run: yarn backstage-cli repo test %s\n' "$STORE_TEST" >&2
  exit 1
fi

MAJOR="$("$PG_BIN/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
case " $SUPPORTED_MAJORS " in
  *" $MAJOR "*) ;;
  *) die "PostgreSQL $MAJOR ($PG_BIN) is not one the store test covers ($SUPPORTED_MAJORS)" ;;
esac

# initdb refuses to run as root: use the postgres account the package creates.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server as"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

PGTMP="$(mktemp -d "${TMPDIR:-/tmp}/ddecs-pg.XXXXXX")"
chmod 700 "$PGTMP"
[ "$(id -u)" = 0 ] && chown postgres: "$PGTMP"
cleanup() {
  if [ -f "$PGTMP/data/postmaster.pid" ]; then
    (cd "$PGTMP" && as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop) >/dev/null 2>&1 || true
  fi
  rm -rf "$PGTMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port from 54329 on (a previous run's server may still hold one).
PORT=""
for candidate in $(seq 54329 54349); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PORT="$candidate"; break; fi
done
[ -n "$PORT" ] || die "no free port between 54329 and 54349"

PASSWORD="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" > "$PGTMP/pwfile"
[ "$(id -u)" = 0 ] && chown postgres: "$PGTMP/pwfile"
chmod 600 "$PGTMP/pwfile"

log "Starting a throwaway PostgreSQL $MAJOR on 127.0.0.1:$PORT ($PGTMP)"
(
  cd "$PGTMP"
  as_pg "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres --pwfile="$PGTMP/pwfile" \
    --auth=scram-sha-256 -E UTF8 --locale=C --no-sync >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; exit 1; }
  as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
    -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null \
    || { cat "$PGTMP/server.log" >&2; exit 1; }
) || die "could not start PostgreSQL"
rm -f "$PGTMP/pwfile"

export "BACKSTAGE_TEST_DATABASE_POSTGRES${MAJOR}_CONNECTION_STRING=postgresql://postgres:${PASSWORD}@127.0.0.1:${PORT}/postgres"
export CI=true

ensure_node
cd "$ROOT"
log "Snapshot-store tests on PostgreSQL $MAJOR (and SQLite)"
code=0
yarn_cmd backstage-cli repo test "$STORE_TEST" --json --outputFile="$OUT" || code=$?

[ -f "$OUT" ] || die "Jest wrote no report to $OUT"
if ! node -e '
  const r = require(process.argv[1]);
  const names = r.testResults.flatMap(s => s.assertionResults).map(a => a.fullName);
  const pg = names.filter(n => n.includes("POSTGRES_" + process.argv[2]));
  console.error(`${pg.length} PostgreSQL ${process.argv[2]} test(s) in the report`);
  process.exit(pg.length > 0 ? 0 : 1);
' "$OUT" "$MAJOR"; then
  printf '\033[1;31merror:\033[0m no PostgreSQL test ran (is POSTGRES_%s among the ids of %s?)\n' "$MAJOR" "$STORE_TEST" >&2
  exit 1
fi
exit "$code"
