#!/usr/bin/env bash
# `npm run bench`: the node against the fake amoCRM (150 ms latency, 7 requests/s, batch caps),
# per item vs batched, printed as a table; then bursts of leads through the lead-intake template
# in a real n8n. Not a test. BENCH_SIZES=1,50 for a quick run;
# BENCH_LATENCY_MS to change the fake's latency.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
NODE24="$(bash scripts/node24.sh)"
export PATH="$(dirname "$NODE24"):$PATH"
# The bursts load dist/ into n8n: build it from the sources measured, never an older build.
npm run build --silent
node --expose-gc --require tsx/cjs bench/bench.ts
# Bursts through the lead-intake template in a real n8n (port 443 for the fake amoCRM, so root;
# a few minutes). BENCH_BURSTS=0 skips them.
export E2E_PORT_443_WAIT_SECONDS="${E2E_PORT_443_WAIT_SECONDS:-1800}"
exec node --require tsx/cjs bench/lead-intake-burst.ts
