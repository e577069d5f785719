#!/usr/bin/env bash
# Runs every test: type check, lint, the publishable packages built, packed and checked
# (scripts/pack.sh), their public API against the checked-in API reports (report*.api.md), the unit
# and integration tests of every package (Jest),
# the store tests (snapshot and rollout, each on SQLite and PostgreSQL) and the two-replica tests
# on a throwaway PostgreSQL (scripts/test-postgres.sh, which installs Debian's postgresql when it is
# missing; the crash matrix it prints is kept in .data/test-results/crash-matrix.md), and the
# Playwright e2e suite in Chromium against the running portal, and the README's install guide
# executed on two fresh create-app apps (scripts/test-install.sh: new and legacy frontend systems,
# the packed packages, a smoke check in Chromium each). Installs what is missing first.
# Ends with one line:
#   N passed, N failed[, N skipped]
# summing every suite (a check such as the type check counts as one test).
#
#   scripts/test.sh               everything
#   scripts/test.sh --no-e2e      everything but the browser tests (the e2e suite and the install guide)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_deps
cd "$ROOT"
export CI=true

RUN_E2E=1
for arg in "$@"; do
  case "$arg" in
    --no-e2e) RUN_E2E=0 ;;
    *) die "unknown option: $arg" ;;
  esac
done

RESULTS="$ROOT/.data/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
passed=0; failed=0; skipped=0
summary=()

record() { # suite passed failed skipped
  passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + $4))
  summary+=("$(printf '%-28s %4s passed, %4s failed, %4s skipped' "$1" "$2" "$3" "$4")")
}

check() { # name command...  — a check counts as one test
  local name="$1"; shift
  log "$name"
  if "$@"; then record "$name" 1 0 0; else record "$name" 0 1 0; fi
}

# Reads a Jest --json report; a suite that failed to run counts as a failure.
record_jest() { # name report-file exit-code
  if [ -f "$2" ]; then
    local counts
    counts="$(node -e '
      const r = require(process.argv[1]);
      const broken = r.testResults.filter(s => s.status === "failed" && s.assertionResults.length === 0).length;
      console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
    ' "$2")"
    # shellcheck disable=SC2086
    record "$1" $counts
    if [ "$3" -ne 0 ] && [ "$(echo "$counts" | awk '{print $2}')" = "0" ]; then
      record "$1 (runner error)" 0 1 0
    fi
  else
    record "$1 (no report)" 0 1 0
  fi
}

check "type check (tsc)" yarn_cmd tsc
check "lint" yarn_cmd backstage-cli repo lint
# Build, pack and check the publishable packages (the type check above wrote dist-types/).
check "packages (build, pack, dependencies)" "$ROOT/scripts/pack.sh" --no-tsc

# The public API of each publishable package against its checked-in report*.api.md (API Extractor,
# `backstage-repo-tools api-reports --ci`). With --tsc it type-checks the five packages again on its
# own (rewriting dist-types/), as `yarn build:api-reports` does: TypeScript writes inferred unions in
# an order that depends on the program, so only the same program gives the same report.
api_reports() {
  local out="$RESULTS/api-reports.log"
  yarn_cmd build:api-reports:only --ci --tsc >"$out" 2>&1 && return 0
  # What changed: the new report API Extractor wrote, against the checked-in one.
  awk '/^## Processing /{dir=$3} match($0, /Please copy the file "[^"]*" to "[^"]*"/){
         split(substr($0, RSTART, RLENGTH), q, "\""); print dir "/" q[4] "\t" q[2] }' "$out" |
    while IFS=$'\t' read -r old new; do
      diff -u "$old" "$new" | head -40 >&2
    done
  sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -E '^(Error|Warning: The API report file is missing)' >&2
  printf '\033[1;31mThe API reports are out of date\033[0m (output: %s): run `yarn build:api-reports` and commit the report*.api.md it changes.\n' "${out#"$ROOT"/}" >&2
  return 1
}
check "API reports (report.api.md)" api_reports

log "unit and integration tests (Jest, every package)"
# The tests that need PostgreSQL (*.postgres.test.ts) run in the PostgreSQL step below.
yarn_cmd backstage-cli repo test --json --outputFile="$RESULTS/jest.json" \
  --testPathIgnorePatterns '/node_modules/' '\.postgres\.test\.ts$'
record_jest "unit + integration (Jest)" "$RESULTS/jest.json" $?

if [ -x "$ROOT/scripts/test-postgres.sh" ]; then
  log "database tests on PostgreSQL (stores, two replicas)"
  "$ROOT/scripts/test-postgres.sh" "$RESULTS/jest-postgres.json"
  record_jest "PostgreSQL store + replicas" "$RESULTS/jest-postgres.json" $?
fi

if [ "$RUN_E2E" = 1 ]; then
  log "end-to-end tests (Playwright, Chromium)"
  if ensure_chromium; then
    PLAYWRIGHT_JSON_OUTPUT_NAME="$RESULTS/playwright.json" \
      yarn_cmd playwright test -c e2e --reporter=list,json
    code=$?
    if [ -f "$RESULTS/playwright.json" ]; then
      # shellcheck disable=SC2046
      record "e2e (Playwright)" $(node -e '
        const s = require(process.argv[1]).stats;
        console.log(s.expected + s.flaky, s.unexpected, s.skipped);
      ' "$RESULTS/playwright.json")
      [ "$code" -ne 0 ] && [ "$(node -p "require('$RESULTS/playwright.json').stats.unexpected")" = 0 ] \
        && record "e2e (runner error)" 0 1 0
    else
      record "e2e (no report)" 0 1 0
    fi
  else
    record "e2e (no Chromium)" 0 1 0
  fi
fi

if [ "$RUN_E2E" = 1 ]; then
  log "the README's install guide on fresh create-app apps (scripts/test-install.sh)"
  rm -f "$RESULTS/install-counts"
  "$ROOT/scripts/test-install.sh" --reuse-packs --counts "$RESULTS/install-counts"
  if [ -s "$RESULTS/install-counts" ]; then
    # shellcheck disable=SC2046
    record "install guide (create-app)" $(cat "$RESULTS/install-counts")
  else
    record "install guide (no result)" 0 1 0
  fi
fi

echo
printf '%s\n' "${summary[@]}"
echo
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
