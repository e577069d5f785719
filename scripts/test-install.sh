#!/usr/bin/env bash
# The README's install guide, executed: for each frontend system (new, legacy), a fresh app from
# `@backstage/create-app` in a temporary folder gets the packed plugins with the README's steps
# alone (scripts/install-guide/apply-readme.mjs applies every `<!-- install-step … -->` block of
# README.md, read from the file), is type-checked, started against the ECS emulator's demo fleet,
# and checked in Chromium (e2e/install/smoke.spec.ts: the portal lists the demo clusters, a cluster
# page opens, the service tab renders on the annotated entity). Details: docs/install-check.md.
#
#   scripts/test-install.sh [--reuse-packs] [--only new|legacy] [--keep] [--counts FILE]
#
#   --reuse-packs   use the tarballs already in .packs/ (the test command packs them just before)
#   --only S        one frontend system
#   --keep          keep the temporary folder (its path is printed) and the apps' logs
#   --counts FILE   write "passed failed skipped" there (the test command's summary reads it)
#
# What stands in for the outside world, and only that: the `@ecs-agent-coverage` scope's registry
# (scripts/install-guide/registry.mjs serves .packs/*.tgz; every other package comes from the
# usual registry), the emulator (its endpoint and demo keys in the app's app-config.local.yaml),
# and this machine's registry mirror (this repository's root `resolutions` copied into the app).
# Every other version is resolved afresh, so the check also tells whether today's Backstage
# packages still work with ours.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REUSE_PACKS=0; ONLY=""; KEEP=0; COUNTS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --reuse-packs) REUSE_PACKS=1 ;;
    --only) shift; ONLY="${1:-}"; case "$ONLY" in new|legacy) ;; *) die "--only new|legacy" ;; esac ;;
    --keep) KEEP=1 ;;
    --counts) shift; COUNTS="${1:-}" ;;
    *) die "unknown option: $1" ;;
  esac
  shift
done

ensure_deps
ensure_chromium || die "no Chromium for the browser check"
cd "$ROOT"
# A fresh app's installs write its lockfile, as on an adopter's machine; Yarn makes installs
# immutable whenever CI is set (the test command sets it).
export YARN_ENABLE_IMMUTABLE_INSTALLS=false

CREATE_APP_VERSION=0.9.2 # the create-app of this repository's Backstage release (backstage.json)
APP_PORT=3100; BACKEND_PORT=7100; EMULATOR_PORT=4610
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ddecs-install.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Starts a command in its own process group (so that cleanup stops its children too).
start_bg() { # log-file command...
  local out="$1"; shift
  setsid "$@" >"$out" 2>&1 &
  PIDS+=("$!")
}
wait_http() { # url what seconds
  local deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && { log "$2 did not answer on $1 within $3 s"; return 1; }
    sleep 2
  done
}
free_port() { # port
  if curl -s -o /dev/null "http://localhost:$1" 2>/dev/null; then
    die "port $1 is in use (stop what listens there)"
  fi
}
for p in $APP_PORT $BACKEND_PORT $EMULATOR_PORT; do free_port "$p"; done

started=$SECONDS
if [ "$REUSE_PACKS" = 0 ] || ! ls "$ROOT"/.packs/*.tgz >/dev/null 2>&1; then
  log "Packing the publishable packages (scripts/pack.sh)"
  "$ROOT/scripts/pack.sh" >"$WORK/pack.log" 2>&1 || { tail -20 "$WORK/pack.log"; die "scripts/pack.sh failed"; }
fi

# `create-app` checks that `yarn` is on PATH; it runs this repository's Yarn release.
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexec node %q "$@"\n' "$ROOT/$(grep -E '^yarnPath:' "$ROOT/.yarnrc.yml" | awk '{print $2}')" >"$WORK/bin/yarn"
chmod +x "$WORK/bin/yarn"
export PATH="$WORK/bin:$PATH"

log "Installing @backstage/create-app@$CREATE_APP_VERSION"
mkdir -p "$WORK/tool"
# The mirror lacks the @backstage/cli-common version create-app asks for; 0.3.1 is the one it has.
cat >"$WORK/tool/package.json" <<EOF
{"private": true, "name": "create-app-tool",
 "dependencies": {"@backstage/create-app": "$CREATE_APP_VERSION"},
 "overrides": {"@backstage/cli-common": "0.3.1"}}
EOF
(cd "$WORK/tool" && npm install --no-audit --no-fund --loglevel=error) >"$WORK/tool.log" 2>&1 \
  || { cat "$WORK/tool.log"; die "could not install @backstage/create-app"; }

log "Starting the scope's registry and the ECS emulator (demo fleet)"
start_bg "$WORK/registry.log" node "$ROOT/scripts/install-guide/registry.mjs" "$ROOT/.packs" "$WORK/registry.port"
for _ in $(seq 50); do [ -s "$WORK/registry.port" ] && break; sleep 0.2; done
[ -s "$WORK/registry.port" ] || die "the registry did not start: $(cat "$WORK/registry.log")"
REGISTRY="http://127.0.0.1:$(cat "$WORK/registry.port")"
start_bg "$WORK/emulator.log" node "$ROOT/packages/ecs-emulator/bin/ecs-emulator" --port "$EMULATOR_PORT" --fleet demo
wait_http "http://localhost:$EMULATOR_PORT/_emulator/health" "the ECS emulator" 60 || die "$(tail -5 "$WORK/emulator.log")"

passed=0; failed=0; skipped=0; lines=()
note() { lines+=("$(printf '%-8s %s' "$1" "$2")"); }

# Runs one frontend system's check; returns after recording its results.
check_system() { # new|legacy
  local system="$1" app="$WORK/$1-app" t0=$SECONDS
  log "[$system] create-app${2:+ $2}"
  # shellcheck disable=SC2086
  if ! BACKSTAGE_APP_NAME="$system-app" "$WORK/tool/node_modules/.bin/backstage-create-app" \
      ${2:-} --skip-install --path "$app" >"$WORK/$system-create.log" 2>&1; then
    tail -20 "$WORK/$system-create.log"; failed=$((failed + 1)); note "$system" "create-app failed"; return
  fi

  # This machine, not the guide: the registry mirror's gaps (this repository's pins) and the
  # scope's registry stand-in. No seed lockfile: the app resolves today's versions of everything,
  # as an adopter's new app does (seeding it with this repository's yarn.lock mixed old and new
  # Backstage packages that do not start together).
  # And create-app 0.9.2 against today's registry, with or without our plugins: its backend asks
  # for plugin-signals-backend ^0.3.19, which now resolves to 0.3.21, written for backend-defaults
  # 0.19 (httpRouter.addWebSocketHandler), while it asks for backend-defaults ^0.18.0: the backend
  # fails at start. Pinned to the version the template names.
  node -e '
    const fs = require("fs"); const [file, ours] = process.argv.slice(1);
    const p = JSON.parse(fs.readFileSync(file, "utf8"));
    p.resolutions = {
      ...(p.resolutions ?? {}),
      ...require(ours).resolutions,
      "@backstage/plugin-signals-backend@npm:^0.3.19": "npm:0.3.19",
    };
    fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n");
  ' "$app/package.json" "$ROOT/package.json"
  cat >>"$app/.yarnrc.yml" <<EOF
npmScopes:
  ecs-agent-coverage:
    npmRegistryServer: "$REGISTRY"
unsafeHttpWhitelist:
  - 127.0.0.1
EOF

  log "[$system] yarn install (the fresh app, before the guide)"
  if ! (cd "$app" && yarn install) >"$WORK/$system-install.log" 2>&1; then
    grep -E 'YN0001|YN0082|YN0027|Error' "$WORK/$system-install.log" | head -20
    failed=$((failed + 1)); note "$system" "yarn install of the fresh app failed"; return
  fi

  log "[$system] the README's install steps"
  if ! node "$ROOT/scripts/install-guide/apply-readme.mjs" "$app" "$system" >"$WORK/$system-guide.log" 2>&1; then
    grep -vE 'YN0013|YN0060|YN0002|YN0086|YN0007|YN0008' "$WORK/$system-guide.log" | tail -30
    failed=$((failed + 1)); note "$system" "a README step failed"; return
  fi
  grep -E '^(applied|\$ |[0-9]+ install steps)' "$WORK/$system-guide.log" | sed 's/^/    /' >&2

  log "[$system] type check of the app (yarn tsc)"
  if (cd "$app" && yarn tsc) >"$WORK/$system-tsc.log" 2>&1; then
    passed=$((passed + 1))
  else
    tail -30 "$WORK/$system-tsc.log"; failed=$((failed + 1)); note "$system" "yarn tsc failed"
  fi

  # Where the app runs here: its ports, the emulator's endpoint and demo keys (instead of roles).
  cat >"$app/app-config.local.yaml" <<EOF
app:
  baseUrl: http://localhost:$APP_PORT
backend:
  baseUrl: http://localhost:$BACKEND_PORT
  listen:
    port: $BACKEND_PORT
  cors:
    origin: http://localhost:$APP_PORT
aws:
  accounts:
    - accountId: '111111111111'
      accessKeyId: AKIAEMULATOR111111111
      secretAccessKey: emulator-secret-111
datadogEcs:
  ecsEndpoint: http://localhost:$EMULATOR_PORT
EOF

  log "[$system] yarn start"
  start_bg "$WORK/$system-start.log" bash -c "cd '$app' && exec yarn start"
  local pid="${PIDS[-1]}"
  if ! wait_http "http://localhost:$BACKEND_PORT/.backstage/health/v1/readiness" "[$system] the backend" 300 \
     || ! wait_http "http://localhost:$APP_PORT" "[$system] the frontend" 300; then
    tail -40 "$WORK/$system-start.log"; failed=$((failed + 1)); note "$system" "the app did not start"
    kill -- -"$pid" 2>/dev/null; return
  fi
  log "[$system] up after $((SECONDS - t0)) s; the smoke check in Chromium"
  local report="$WORK/$system-playwright.json"
  INSTALL_FRONTEND="$system" INSTALL_BASE_URL="http://localhost:$APP_PORT" \
    PLAYWRIGHT_JSON_OUTPUT_NAME="$report" yarn_cmd playwright test -c e2e/install.config.ts --reporter=list,json
  if [ -f "$report" ]; then
    read -r p f s < <(node -e '
      const s = require(process.argv[1]).stats;
      console.log(s.expected + s.flaky, s.unexpected, s.skipped);
    ' "$report")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ "$f" -gt 0 ] && { note "$system" "$f browser check(s) failed"; tail -30 "$WORK/$system-start.log"; }
  else
    failed=$((failed + 1)); note "$system" "Playwright wrote no report"
  fi
  kill -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  for _ in $(seq 30); do curl -s -o /dev/null "http://localhost:$BACKEND_PORT" 2>/dev/null || break; sleep 1; done
  note "$system" "done in $((SECONDS - t0)) s"
}

[ -z "$ONLY" ] || [ "$ONLY" = new ] && check_system new
[ -z "$ONLY" ] || [ "$ONLY" = legacy ] && check_system legacy --legacy

echo
printf '%s\n' "${lines[@]}"
echo "install guide: $passed passed, $failed failed in $((SECONDS - started)) s"
[ -n "$COUNTS" ] && echo "$passed $failed $skipped" >"$COUNTS"
[ "$failed" -eq 0 ]
