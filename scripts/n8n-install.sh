#!/usr/bin/env bash
# Installs n8n (pinned) from the npm registry into the user's cache, outside the clone,
# and prints the install folder (its n8n binary is <folder>/node_modules/n8n/bin/n8n).
#
# - `--ignore-scripts`: n8n's native dependencies try to download prebuilt binaries from
#   GitHub in their install scripts; without the scripts n8n runs headless on PostgreSQL.
# - Idempotent: a finished install is marked with a stamp file and reused in milliseconds.
# - Safe against a half-finished earlier run (Ctrl-C, full disk, network): the install
#   happens in a temporary sibling folder that is renamed into place only when complete;
#   leftovers of interrupted runs are removed. A lock keeps two concurrent runs (npm start
#   and the tests) from installing twice.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
CACHE_ROOT="${N8N_NODES_AMOCRM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-amocrm}"
target="$CACHE_ROOT/n8n-$N8N_VERSION"
stamp="$target/.installed"

if [ -f "$stamp" ] && [ -x "$target/node_modules/n8n/bin/n8n" ]; then
  echo "$target"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.n8n-$N8N_VERSION.lock"
if ! flock -n 9; then
  echo "Another n8n install is running; waiting for it..." >&2
  flock 9
fi
# The other run may have finished it while we waited.
if [ -f "$stamp" ] && [ -x "$target/node_modules/n8n/bin/n8n" ]; then
  echo "$target"
  exit 0
fi

# Leftovers of interrupted installs (we hold the lock, so nobody else is using them).
rm -rf "$CACHE_ROOT"/.n8n-"$N8N_VERSION".tmp.* "$target"

node_bin="$(bash "$(dirname "$0")/node24.sh")"
node_dir="$(dirname "$node_bin")"
tmp="$(mktemp -d "$CACHE_ROOT/.n8n-$N8N_VERSION.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "Installing n8n $N8N_VERSION into $target (once; about 2,400 packages, 3 GB, 4-6 minutes)..." >&2
start=$(date +%s)
# n8n 1.x and early 2.x take `xlsx` from SheetJS's CDN, which is not reachable from every machine;
# the npm registry's last release of it serves the same API (n8n runs headless without it anyway).
printf '{"name":"n8n-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}\n' >"$tmp/package.json"
# npm itself runs on the system Node; Node 24 first on PATH keeps engine checks honest.
(
  cd "$tmp"
  PATH="$node_dir:$PATH" npm install --no-save --no-audit --no-fund --ignore-scripts \
    --loglevel=error "n8n@$N8N_VERSION" >&2
)
test -x "$tmp/node_modules/n8n/bin/n8n"
date -u +%FT%TZ >"$tmp/.installed"
mv "$tmp" "$target"
trap - EXIT
echo "n8n $N8N_VERSION installed in $(( $(date +%s) - start )) s." >&2
echo "$target"
