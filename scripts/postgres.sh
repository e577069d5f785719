#!/usr/bin/env bash
# A throwaway PostgreSQL server from Debian's packages, for the test command (test-postgres.sh) and
# for several backend replicas (start.sh --replicas N). Sourced after lib.sh, not executed.
#
#   start_throwaway_postgres <what-for>   sets PG_URL (postgresql://postgres:…@127.0.0.1:<port>/postgres),
#                                         PG_MAJOR, and an EXIT trap that stops and deletes it
#
# Installs the `postgresql` package when its server binaries are missing and we are root; otherwise
# explains how to get it and returns 1. The server lives in a temporary directory, runs as an
# unprivileged user (postgres when we are root), listens on 127.0.0.1 only, with fsync off.

# The newest server installed by Debian's postgresql-NN packages (or initdb on the PATH).
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

# Sets PG_BIN, installing Debian's postgresql when missing and root; 1 with advice otherwise.
ensure_postgres() {
  PG_BIN="$(pg_bindir || true)"
  if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing PostgreSQL from Debian's packages (apt-get install postgresql)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1 \
      || die "apt-get install postgresql failed"
    PG_BIN="$(pg_bindir || true)"
  fi
  if [ -z "$PG_BIN" ]; then
    printf '\033[1;31merror:\033[0m no PostgreSQL server found (%s). Install one:\n' "${1:-}" >&2
    printf '  sudo apt-get install postgresql            (Debian/Ubuntu; then run this script again)\n' >&2
    return 1
  fi
  PG_MAJOR="$("$PG_BIN/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
}

stop_throwaway_postgres() {
  if [ -n "${PGTMP:-}" ] && [ -f "$PGTMP/data/postmaster.pid" ]; then
    (cd "$PGTMP" && as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop) >/dev/null 2>&1 || true
  fi
  [ -n "${PGTMP:-}" ] && rm -rf "$PGTMP"
  PGTMP=""
}

start_throwaway_postgres() {
  ensure_postgres "$1" || return 1
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
  trap stop_throwaway_postgres EXIT
  trap 'exit 130' INT TERM

  # A free port from 54329 on (a previous run's server may still hold one).
  local port="" candidate
  for candidate in $(seq 54329 54349); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port="$candidate"; break; fi
  done
  [ -n "$port" ] || die "no free port between 54329 and 54349"

  local password
  password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s\n' "$password" > "$PGTMP/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$PGTMP/pwfile"
  chmod 600 "$PGTMP/pwfile"

  log "Starting a throwaway PostgreSQL $PG_MAJOR on 127.0.0.1:$port ($PGTMP) for $1"
  (
    cd "$PGTMP"
    as_pg "$PG_BIN/initdb" -D "$PGTMP/data" -U postgres --pwfile="$PGTMP/pwfile" \
      --auth=scram-sha-256 -E UTF8 --locale=C --no-sync >"$PGTMP/initdb.log" 2>&1 \
      || { cat "$PGTMP/initdb.log" >&2; exit 1; }
    as_pg "$PG_BIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 \
      -o "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null \
      || { cat "$PGTMP/server.log" >&2; exit 1; }
  ) || die "could not start PostgreSQL"
  rm -f "$PGTMP/pwfile"
  PG_URL="postgresql://postgres:${password}@127.0.0.1:${port}/postgres"
}
