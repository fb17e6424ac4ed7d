#!/usr/bin/env bash
# The end-to-end part of `npm test` (scripts/test.sh starts it once the package is built, beside
# lint, typecheck, the scan and the unit tests): installs the n8n releases the tests run on into
# the user's cache when missing, checks or installs PostgreSQL, Redis, openssl and Chromium, then
# runs the end-to-end and browser files in groups (scripts/e2e-shards.mjs).
# Needs root for apt-get, /etc/hosts, port 443 and the groups' network namespaces.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

t0=$(date +%s)
section() { printf '\n\033[1m==== %s  (+%ss) ====\033[0m\n' "$*" "$(( $(date +%s) - t0 ))"; }
fail() { printf '\n\033[1;31mFAILED: %s\033[0m\n' "$*" >&2; exit 1; }

# The n8n releases the end-to-end tests run on: the default one (scripts/n8n-install.sh) and the
# oldest supported ones (test/e2e/versions.e2e.test.ts).
N8N_VERSIONS=(default 1.123.81 2.0.3)
install_pids=()
install_logs=()
cleanup() {
  for pid in "${install_pids[@]}"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      # Safe to interrupt: the install goes to a temp folder and is renamed only when done.
      # It runs in its own process group (setsid) so npm goes too, and releases the install lock.
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  rm -f "${install_logs[@]}"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

NODE24="$(bash scripts/node24.sh)" || fail "getting Node 24"
export PATH="$(dirname "$NODE24"):$PATH"

section "End-to-end prerequisites: n8n (${N8N_VERSIONS[*]}), PostgreSQL, Redis, openssl, Chromium"
# Slow on a fresh machine (4-6 min each) and network-bound: side by side.
for version in "${N8N_VERSIONS[@]}"; do
  log="$(mktemp)"
  install_logs+=("$log")
  if [ "$version" = default ]; then
    setsid bash scripts/n8n-install.sh >"$log" 2>&1 &
  else
    N8N_VERSION="$version" setsid bash scripts/n8n-install.sh >"$log" 2>&1 &
  fi
  install_pids+=("$!")
done
for i in "${!install_pids[@]}"; do
  if ! wait "${install_pids[$i]}"; then
    install_pids[$i]=""
    cat "${install_logs[$i]}" >&2
    fail "installing n8n ${N8N_VERSIONS[$i]}"
  fi
  install_pids[$i]=""
  cat "${install_logs[$i]}"
done
bash scripts/postgres.sh bin >/dev/null || fail "PostgreSQL (apt-get install postgresql)"
echo "PostgreSQL: $(bash scripts/postgres.sh bin)"
# n8n's queue mode (test/e2e/lead-intake-queue.e2e.test.ts) needs Redis.
bash scripts/redis.sh bin >/dev/null || fail "Redis (apt-get install redis-server)"
echo "Redis: $("$(bash scripts/redis.sh bin)" --version)"
if ! command -v openssl >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "openssl is missing (apt-get install openssl)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null || fail "apt-get install openssl"
fi
echo "openssl: $(openssl version)"
# The browser tests (test/browser) drive Debian's Chromium through puppeteer-core, which never
# downloads a browser of its own.
if ! command -v chromium >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "chromium is missing (apt-get install chromium)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
    || fail "apt-get install chromium"
fi
echo "chromium: $(chromium --version 2>/dev/null | head -1)"

section "End-to-end and browser tests (real n8n, jest -c jest.e2e.config.js, in E2E_SHARDS groups at once)"
# Each group runs in a network namespace of its own (scripts/e2e-shards.mjs), so the groups' fakes
# do not compete for port 443. nock and puppeteer-core are ES modules: jest loads them only with
# Node's VM modules enabled.
if [ "$(id -u)" = 0 ] && ! command -v ip >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null || fail "apt-get install iproute2"
fi
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules --no-warnings=ExperimentalWarning"
node scripts/e2e-shards.mjs
