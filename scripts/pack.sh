#!/usr/bin/env bash
# Builds and packs every publishable package the way it would be published, then checks the
# tarballs (scripts/check-pack.mjs): dist/ and the files each names (config schema, the backend's
# migrations and IAM policies) are in them, no `workspace:` range is left, every bare import of their
# JavaScript is a declared dependency, the CommonJS entry points load without a TypeScript transform
# and the emulator's bin answers --help from its tarball. Prints one line per package and a summary;
# exits non-zero on any failure.
#
#   scripts/pack.sh                 type check (writes dist-types/, which the builds need), build, pack, check
#   scripts/pack.sh --no-tsc        skip the type check (scripts/test.sh has just run it)
#   scripts/pack.sh --out <dir>     where the tarballs go (default .packs/, git-ignored)
#
# `yarn pack` rewrites each package.json while it runs (backstage-cli prepack/postpack): don't run
# tests of these packages at the same time.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
# A fresh clone gets the dependencies installed; an existing install is used as it is.
[ -d "$ROOT/node_modules" ] || ensure_deps
cd "$ROOT"

PACKAGES=(
  plugins/datadog-ecs-common
  plugins/datadog-ecs-backend
  plugins/catalog-backend-module-datadog-ecs
  plugins/datadog-ecs
  packages/ecs-emulator
)
# Files a tarball must hold beyond what its package.json names (globs match within one folder).
EXPECT=(
  plugins/datadog-ecs-backend='migrations/*.js'
  plugins/datadog-ecs-backend='iam/*.json'
  plugins/datadog-ecs-backend=config.schema.json
  plugins/catalog-backend-module-datadog-ecs=config.schema.json
  packages/ecs-emulator=dist/cli.cjs.js
)

OUT="$ROOT/.packs"
RUN_TSC=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-tsc) RUN_TSC=0 ;;
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    *) die "unknown option: $1" ;;
  esac
  shift
done
rm -rf "$OUT" && mkdir -p "$OUT/logs"
started=$SECONDS
failed=0

if [ "$RUN_TSC" = 1 ]; then
  log "type check (tsc, writes dist-types/)"
  if ! yarn_cmd tsc >"$OUT/logs/tsc.log" 2>&1; then
    echo "FAIL  type check (see $OUT/logs/tsc.log)"
    failed=$((failed + 1))
  fi
fi

# Puts package.json back if a failed prepack left the rewritten one.
restore_manifest() {
  if [ -f "$1/package.json-prepack" ]; then
    mv "$1/package.json-prepack" "$1/package.json"
    rm -f "$1/config.schema.json"
  fi
}
trap 'for p in "${PACKAGES[@]}"; do restore_manifest "$ROOT/$p"; done' EXIT

tarballs=()
for pkg in "${PACKAGES[@]}"; do
  name="$(basename "$pkg")"
  log "build and pack $pkg"
  if ! (cd "$pkg" && yarn_cmd backstage-cli package build) >"$OUT/logs/$name-build.log" 2>&1; then
    echo "FAIL  $pkg: backstage-cli package build (see $OUT/logs/$name-build.log)"
    failed=$((failed + 1)); continue
  fi
  if ! (cd "$pkg" && yarn_cmd pack --out "$OUT/$name.tgz") >"$OUT/logs/$name-pack.log" 2>&1; then
    restore_manifest "$ROOT/$pkg"
    echo "FAIL  $pkg: yarn pack (see $OUT/logs/$name-pack.log)"
    failed=$((failed + 1)); continue
  fi
  tarballs+=("$OUT/$name.tgz")
done

if [ "${#tarballs[@]}" -gt 0 ]; then
  expect_args=()
  for e in "${EXPECT[@]}"; do expect_args+=(--expect "$e"); done
  # Its exit code is the number of packages that fail the check.
  node "$ROOT/scripts/check-pack.mjs" --install "$OUT/install" "${expect_args[@]}" "${tarballs[@]}"
  failed=$((failed + $?))
fi

echo "packages: ${#tarballs[@]} of ${#PACKAGES[@]} built and packed into ${OUT#"$ROOT/"}/ in $((SECONDS - started)) s, $failed failed"
[ "$failed" -eq 0 ]
