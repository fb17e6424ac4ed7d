#!/usr/bin/env bash
# `npm test`: everything CI runs, stopping at the first failure.
#   dependencies (npm ci) -> Node 24 -> lint -> typecheck -> build -> n8n's package scan -> unit + in-process
#   tests (jest), beside the end-to-end tests (a real n8n 2.x, PostgreSQL, fake amoCRM/Telegram)
#   and browser tests (the same n8n's editor in Debian's Chromium).
# Needs only Node 20 + npm, the npm registry and Debian packages (PostgreSQL, Redis and Chromium,
# installed with apt-get when missing; the end-to-end tests need root for /etc/hosts and port 443).
# n8n itself (3 GB a release: 2.x, plus the oldest releases test/e2e/versions.e2e.test.ts runs on)
# is installed once into the user's cache; on a fresh machine that runs in the background while
# lint, build and the unit tests run.
# Skip the end-to-end part with E2E=0.
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
# The unit tests and the end-to-end groups, when they run beside other steps.
background_pids=()
cleanup() {
  for pid in "${install_pids[@]}" "${background_pids[@]}"; do
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

section "Dependencies (npm ci)"
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || fail "npm ci"
else
  echo "node_modules is up to date with package-lock.json"
fi

section "Node 24"
NODE24="$(bash scripts/node24.sh)" || fail "getting Node 24"
export PATH="$(dirname "$NODE24"):$PATH"
echo "node $(node --version) ($(command -v node)), npm $(npm --version)"

if [ "${E2E:-1}" != 0 ]; then
  # Slow on a fresh machine (4-6 min each, side by side) and network-bound: overlap them with
  # the checks below.
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
fi

section "Lint (the rules of n8n's package scan and n8n-node lint; Prettier with n8n's settings) and typecheck"
# Both are single-threaded: side by side they use both cores. The typecheck's output follows the lint's.
typecheck_log="$(mktemp)"
npm run typecheck >"$typecheck_log" 2>&1 &
typecheck_pid=$!
lint_ok=1
npm run lint || lint_ok=0
typecheck_ok=1
wait "$typecheck_pid" || typecheck_ok=0
cat "$typecheck_log"
rm -f "$typecheck_log"
[ "$lint_ok" = 1 ] || fail "lint"
[ "$typecheck_ok" = 1 ] || fail "typecheck"

section "Build (dist/)"
npm run build || fail "build"

section "n8n's community-package scan (source and npm pack output, offline)"
# The analysis n8n runs before verifying a package, on both legs it lints; fails on any finding.
node scripts/scan.mjs || fail "n8n's community-package scan"

section "Unit and in-process workflow tests (jest)"
# nock 15 is an ES module; jest loads it only with Node's VM modules enabled. Jest's default is one
# worker fewer than the cores, which on a 2-core machine means no parallelism at all.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules --no-warnings=ExperimentalWarning"
unit_tests=(npx jest --ci --maxWorkers=100%)
if [ "${E2E:-1}" = 0 ]; then
  "${unit_tests[@]}" || fail "unit tests"
  section "End-to-end tests skipped (E2E=0)"
  exit 0
fi
# With the end-to-end tests to come, the unit tests run beside them: the end-to-end groups leave
# the cores idle at times (waiting for leases, schedules, amoCRM's latency), which the unit tests
# fill. Their output follows when they end; a failure stops everything.
unit_log="$(mktemp)"
install_logs+=("$unit_log")
setsid "${unit_tests[@]}" >"$unit_log" 2>&1 &
unit_pid=$!
background_pids+=("$unit_pid")
echo "running beside the end-to-end prerequisites and tests; the output follows when they end"

section "End-to-end prerequisites: n8n (${N8N_VERSIONS[*]}), PostgreSQL, Redis, openssl, Chromium"
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
# do not compete for port 443. puppeteer-core is an ES module: NODE_OPTIONS (above) enables Node's
# VM modules for jest.
if [ "$(id -u)" = 0 ] && ! command -v ip >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null || fail "apt-get install iproute2"
fi
setsid node scripts/e2e-shards.mjs &
e2e_pid=$!
background_pids+=("$e2e_pid")
unit_ok=1
wait "$unit_pid" || unit_ok=0
section "Unit and in-process workflow tests (jest): their output"
cat "$unit_log"
[ "$unit_ok" = 1 ] || fail "unit tests"
e2e_ok=1
wait "$e2e_pid" || e2e_ok=0
[ "$e2e_ok" = 1 ] || fail "end-to-end tests"

section "All checks passed in $(( $(date +%s) - t0 )) s"
