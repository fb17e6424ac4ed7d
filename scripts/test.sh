#!/usr/bin/env bash
# `npm test`: everything CI runs, stopping at the first failure.
#   dependencies (npm ci) -> Node 24 -> build -> lint and typecheck -> n8n's package scan -> unit +
#   in-process tests (jest), beside the end-to-end part (scripts/e2e.sh, started after the build:
#   a real n8n 2.x, PostgreSQL, fake amoCRM/Telegram, and the same n8n's editor in Debian's Chromium).
# Needs only Node 20 + npm, the npm registry and Debian packages (PostgreSQL, Redis and Chromium,
# installed with apt-get when missing; the end-to-end tests need root for /etc/hosts and port 443).
# n8n itself (3 GB a release: 2.x, plus the oldest releases test/e2e/versions.e2e.test.ts runs on)
# is installed once into the user's cache; on a fresh machine that runs while lint and the unit
# tests run.
# Skip the end-to-end part with E2E=0.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

t0=$(date +%s)
section() { printf '\n\033[1m==== %s  (+%ss) ====\033[0m\n' "$*" "$(( $(date +%s) - t0 ))"; }
fail() { printf '\n\033[1;31mFAILED: %s\033[0m\n' "$*" >&2; exit 1; }

# The end-to-end part (scripts/e2e.sh), when it runs beside the checks.
background_pids=()
extra_logs=()
cleanup() {
  for pid in "${background_pids[@]}"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      # Its own process group (setsid): its jest groups, n8n servers and installs go too.
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  rm -f "${extra_logs[@]}"
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

section "Build (dist/)"
npm run build || fail "build"

if [ "${E2E:-1}" != 0 ]; then
  # The end-to-end part needs only the build: it starts now, and lint, typecheck, the scan and
  # the unit tests run beside it, filling the cores its groups leave idle while they wait (on a
  # fresh machine, while n8n is installed). Its output follows theirs. A failed check stops it; its
  # own failure fails the run once the checks are done.
  e2e_log="$(mktemp)"
  extra_logs+=("$e2e_log")
  setsid bash scripts/e2e.sh >"$e2e_log" 2>&1 &
  e2e_pid=$!
  background_pids+=("$e2e_pid")
  echo "the end-to-end prerequisites and tests (scripts/e2e.sh) started; their output follows the checks below"
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

section "n8n's community-package scan (source and npm pack output, offline)"
# The analysis n8n runs before verifying a package, on both legs it lints; fails on any finding.
node scripts/scan.mjs || fail "n8n's community-package scan"

section "Unit and in-process workflow tests (jest)"
# nock 15 is an ES module; jest loads it only with Node's VM modules enabled. Jest's default is one
# worker fewer than the cores, which on a 2-core machine means no parallelism at all.
NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules --no-warnings=ExperimentalWarning" \
  npx jest --ci --maxWorkers=100% || fail "unit tests"

if [ "${E2E:-1}" = 0 ]; then
  section "End-to-end tests skipped (E2E=0)"
  exit 0
fi

section "End-to-end prerequisites and tests (scripts/e2e.sh, started after the build): their output"
tail -n +1 -f --pid="$e2e_pid" "$e2e_log"
e2e_ok=1
wait "$e2e_pid" || e2e_ok=0
[ "$e2e_ok" = 1 ] || fail "end-to-end tests"

section "All checks passed in $(( $(date +%s) - t0 )) s"
