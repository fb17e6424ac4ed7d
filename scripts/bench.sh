#!/usr/bin/env bash
# `npm run bench`: the node against the fake amoCRM (150 ms latency, 7 requests/s, batch caps),
# per item vs batched, printed as a table. Not a test. BENCH_SIZES=1,50 for a quick run;
# BENCH_LATENCY_MS to change the fake's latency.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
NODE24="$(bash scripts/node24.sh)"
export PATH="$(dirname "$NODE24"):$PATH"
exec node --expose-gc --require tsx/cjs bench/bench.ts
