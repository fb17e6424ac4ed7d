#!/usr/bin/env bash
# Makes n8n's default database, SQLite, work in the cached n8n install, and prints nothing
# when it does. n8n 2.41.1 opens SQLite through @n8n/typeorm's `sqlite-pooled` driver, which
# loads the native `sqlite3` package (5.1.x, a Node-API module). Its install script would
# download a prebuilt binary from GitHub, so n8n is installed with --ignore-scripts
# (scripts/n8n-install.sh) and the binary is compiled here instead, once: node-gyp (the one
# that ships with npm) against Node 24's headers (`--nodedir`, the system npm points at
# another Node's), about 2 minutes on 2 cores. The result is kept next to the n8n install
# in the cache, so a fresh n8n install reuses it without compiling again.
#
#   bash scripts/n8n-sqlite.sh [<n8n install folder>]
#
# Needs python3, make and g++ (installed with apt-get when missing and run as root).
# Exits 1 with the reason when SQLite cannot be made to work here.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
CACHE_ROOT="${N8N_NODES_AMOCRM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-amocrm}"
NODE24="$(bash "$SCRIPTS/node24.sh")"
N8N_DIR="${1:-$(bash "$SCRIPTS/n8n-install.sh")}"
# Where the driver asks for it: require('sqlite3') from @n8n/typeorm.
typeorm_dir="$N8N_DIR/node_modules/@n8n/typeorm"

sqlite_works() {
  (cd "$typeorm_dir" && "$NODE24" -e '
    const { Database } = require("sqlite3");
    const db = new Database(":memory:");
    db.get("select sqlite_version() as v", (error) => { if (error) process.exit(1); db.close(); });
  ') >/dev/null 2>&1
}

sqlite_works && exit 0

sqlite_dir="$(cd "$typeorm_dir" && "$NODE24" -p 'require("path").dirname(require.resolve("sqlite3/package.json"))')"
version="$("$NODE24" -p "require('$sqlite_dir/package.json').version")"
binary="$sqlite_dir/build/Release/node_sqlite3.node"
kept="$CACHE_ROOT/sqlite3-$version-linux-$(uname -m)/node_sqlite3.node"

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.sqlite3.lock"
if ! flock -n 9; then
  echo "Another run is building SQLite's driver; waiting for it..." >&2
  flock 9
fi
sqlite_works && exit 0

if [ -f "$kept" ]; then
  mkdir -p "$(dirname "$binary")"
  cp "$kept" "$binary.tmp" && mv "$binary.tmp" "$binary"
  sqlite_works && exit 0
  rm -f "$kept"    # built for something else: build again below
fi

missing=""
for tool in python3 make g++; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing build tools for SQLite's driver (apt-get install python3 make g++)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || true
    apt-get install -y -qq --no-install-recommends python3 make g++ >&2
  else
    echo "SQLite's driver must be compiled once and these tools are missing:$missing (sudo apt-get install python3 make g++)." >&2
    exit 1
  fi
fi

npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
node_gyp="$npm_dir/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || node_gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || { echo "node-gyp (part of npm) was not found." >&2; exit 1; }

log="$CACHE_ROOT/sqlite3-build.log"
echo "Compiling SQLite's driver (sqlite3 $version) for Node 24, once: about 2 minutes..." >&2
start=$(date +%s)
# Node 24 first on PATH: binding.gyp runs `node` to find node-addon-api's headers.
if ! (cd "$sqlite_dir" && PATH="$(dirname "$NODE24"):$PATH" "$NODE24" "$node_gyp" rebuild \
  --nodedir="$(dirname "$(dirname "$NODE24")")" --jobs=2 >"$log" 2>&1); then
  tail -n 20 "$log" >&2
  echo "Compiling SQLite's driver failed (full log: $log)." >&2
  exit 1
fi
sqlite_works || { echo "SQLite's driver was compiled but does not load (log: $log)." >&2; exit 1; }
mkdir -p "$(dirname "$kept")"
cp "$binary" "$kept.tmp" && mv "$kept.tmp" "$kept"
echo "SQLite's driver compiled in $(( $(date +%s) - start )) s." >&2
