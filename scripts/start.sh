#!/usr/bin/env bash
# `npm start`: a real n8n 2.x at http://localhost:5678 with this package loaded and the
# templates in workflows/ imported. Needs only Node 20 + npm (Node 24 and n8n come from
# the npm registry into the user's cache, see scripts/node24.sh and scripts/n8n-install.sh).
#
# n8n's data lives in .n8n/ in the clone (git-ignored): the user folder, and the database.
# Database: a throwaway PostgreSQL from Debian (scripts/postgres.sh) when this machine has
# it or can install it (root + apt), because n8n's default SQLite needs `sqlite3` compiled
# for Node 24 (a C++ tool chain and ~2 minutes), which a fresh machine often cannot do.
# Otherwise SQLite, with sqlite3 built once into the n8n cache. Force either with
# N8N_DB=postgres|sqlite. Port: N8N_PORT (default 5678). Ctrl-C stops n8n and PostgreSQL.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

PORT="${N8N_PORT:-5678}"
BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-5679}"
PG_PORT="${N8N_START_PG_PORT:-54329}"
DATA="$ROOT/.n8n"                       # N8N_USER_FOLDER; n8n itself writes to $DATA/.n8n
PG_DIR="$DATA/postgres"
PKG_NAME="$(node -p 'require("./package.json").name')"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if port_busy "$PORT"; then
  echo "Port $PORT is already in use (another n8n?). Stop it or run N8N_PORT=5680 npm start." >&2
  exit 1
fi

# 1. Dependencies and build ------------------------------------------------------------
if [ ! -d node_modules ]; then
  say "Installing the package's dev dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
say "Building the package (npm run build -> dist/)"
npm run build --silent

# 2. Node 24 and n8n ---------------------------------------------------------------------
say "Getting Node 24 and n8n (cached in ${N8N_NODES_AMOCRM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-amocrm})"
NODE24="$(bash scripts/node24.sh)"
N8N_DIR="$(bash scripts/n8n-install.sh)"
N8N=("$NODE24" "$N8N_DIR/node_modules/n8n/bin/n8n")

# 3. Database ------------------------------------------------------------------------------
db="${N8N_DB:-}"
if [ -z "$db" ]; then
  if [ -f "$DATA/.db-type" ]; then
    db="$(cat "$DATA/.db-type")"             # keep what the first start chose: the data is there
  elif bash scripts/postgres.sh bin >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }; then
    db=postgres
  else
    db=sqlite
  fi
fi
mkdir -p "$DATA"
echo "$db" >"$DATA/.db-type"

export N8N_USER_FOLDER="$DATA"
export N8N_PORT="$PORT"
export N8N_RUNNERS_MODE=internal
export N8N_RUNNERS_BROKER_PORT="$BROKER_PORT"
export N8N_LISTEN_ADDRESS="${N8N_LISTEN_ADDRESS:-127.0.0.1}"   # this machine only; set 0.0.0.0 to share
export N8N_WEBHOOK_URL="${N8N_WEBHOOK_URL:-${WEBHOOK_URL:-http://localhost:$PORT/}}"
unset WEBHOOK_URL   # deprecated in n8n 2.x in favour of N8N_WEBHOOK_URL
export N8N_EDITOR_BASE_URL="${N8N_EDITOR_BASE_URL:-http://localhost:$PORT/}"
export N8N_SECURE_COOKIE=false
export N8N_DIAGNOSTICS_ENABLED=false
export N8N_VERSION_NOTIFICATIONS_ENABLED=false
export N8N_TEMPLATES_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false
export N8N_DISABLED_MODULES=mcp-registry
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
export N8N_BLOCK_ENV_ACCESS_IN_NODE=false

pg_started=""
n8n_pid=""
tail_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$n8n_pid" ] && kill -0 "$n8n_pid" 2>/dev/null; then
    echo; echo "==> Ctrl-C: stopping n8n (it saves running executions first)..."
    kill -TERM "$n8n_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$n8n_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$n8n_pid" 2>/dev/null || true
    wait "$n8n_pid" 2>/dev/null || true
  fi
  if [ -n "$tail_pid" ]; then kill "$tail_pid" 2>/dev/null || true; fi
  if [ -n "$pg_started" ]; then
    echo "Stopping PostgreSQL..."
    bash scripts/postgres.sh stop "$PG_DIR" "$PG_PORT" || true
  fi
  echo "Stopped. Your workflows and credentials stay in $DATA (delete it to start afresh)."
}
trap cleanup EXIT
trap 'exit 130' INT    # until n8n runs; then Ctrl-C only asks the wait loop below to stop
trap 'exit 143' TERM

if [ "$db" = postgres ]; then
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT (data in .n8n/postgres)"
  if port_busy "$PG_PORT" && ! [ -f "$PG_DIR/postmaster.pid" ]; then
    echo "Port $PG_PORT is in use by something else: set N8N_START_PG_PORT." >&2
    exit 1
  fi
  bash scripts/postgres.sh start "$PG_DIR" "$PG_PORT"
  pg_started=1
  PSQL="$(bash scripts/postgres.sh bin)/psql"
  if [ "$("$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='n8n'")" != 1 ]; then
    "$PSQL" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database n8n"
  fi
  export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT="$PG_PORT" \
    DB_POSTGRESDB_DATABASE=n8n DB_POSTGRESDB_USER=postgres DB_POSTGRESDB_PASSWORD=""
else
  export DB_TYPE=sqlite
  if ! (cd "$N8N_DIR/node_modules/n8n" && "$NODE24" -e 'require("sqlite3")') >/dev/null 2>&1; then
    say "Building sqlite3 for Node 24 (once, about 2 minutes; needs python3, make and g++)"
    for tool in python3 make g++; do
      command -v "$tool" >/dev/null || { echo "Missing $tool. Install PostgreSQL instead (sudo apt-get install postgresql) or the build tools." >&2; exit 1; }
    done
    sqlite_dir="$("$NODE24" -p 'require("path").dirname(require.resolve("sqlite3/package.json", {paths: [process.argv[1]]}))' "$N8N_DIR/node_modules/n8n")"
    node_gyp="$(dirname "$(dirname "$(command -v npm)")")/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
    [ -f "$node_gyp" ] || node_gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
    (cd "$sqlite_dir" && PATH="$(dirname "$NODE24"):$PATH" "$NODE24" "$node_gyp" rebuild \
      --nodedir="$(dirname "$(dirname "$NODE24")")" -j 2 >"$DATA/sqlite3-build.log" 2>&1) \
      || { echo "sqlite3 build failed, see $DATA/sqlite3-build.log" >&2; exit 1; }
  fi
fi

# 4. Load this package as a community node -----------------------------------------------
# Exactly where n8n keeps packages installed from Settings > Community Nodes; a symlink, so
# `npm run build` + restarting n8n picks up changes.
nodes_dir="$DATA/.n8n/nodes"
mkdir -p "$nodes_dir/node_modules"
[ -f "$nodes_dir/package.json" ] || printf '{"name":"installed-nodes","private":true,"dependencies":{}}\n' >"$nodes_dir/package.json"
ln -sfn "$ROOT" "$nodes_dir/node_modules/$PKG_NAME"

# 5. Import the templates once -------------------------------------------------------------
cli() {
  # CLI commands start their own task broker: keep it off the server's port. The default
  # expression engine can crash the CLI at exit (code 139) after its work is done.
  N8N_RUNNERS_BROKER_PORT=$((BROKER_PORT + 100)) N8N_EXPRESSION_ENGINE=legacy "${N8N[@]}" "$@"
}
if [ -d workflows ] && compgen -G "workflows/*.json" >/dev/null; then
  mkdir -p "$DATA/imported"
  todo="$(mktemp -d)"
  for f in workflows/*.json; do
    [ -f "$DATA/imported/$(basename "$f")" ] || cp "$f" "$todo/"
  done
  if compgen -G "$todo/*.json" >/dev/null; then
    say "Importing templates: $(cd "$todo" && echo *.json)"
    if cli import:workflow --separate --input="$todo" >"$DATA/import.log" 2>&1 || grep -q "Successfully imported" "$DATA/import.log"; then
      for f in "$todo"/*.json; do date -u +%FT%TZ >"$DATA/imported/$(basename "$f")"; done
    else
      cat "$DATA/import.log" >&2
      echo "Importing the templates failed (see above); n8n starts anyway, import them in the editor." >&2
    fi
  fi
  rm -rf "$todo"
fi

# 6. Start n8n -----------------------------------------------------------------------------
say "Starting n8n $("$NODE24" -p "require('$N8N_DIR/node_modules/n8n/package.json').version") on http://localhost:$PORT ($db)"
"${N8N[@]}" start >"$DATA/n8n.log" 2>&1 &
n8n_pid=$!
stop_requested=""
trap 'stop_requested=1' INT TERM
tail -n +1 -f "$DATA/n8n.log" --pid="$n8n_pid" &
tail_pid=$!
for _ in $(seq 1 180); do
  [ -z "$stop_requested" ] || exit 130
  if ! kill -0 "$n8n_pid" 2>/dev/null; then
    echo "n8n exited during start; see $DATA/n8n.log" >&2
    exit 1
  fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz/readiness" || true)" = 200 ]; then
    break
  fi
  sleep 1
done

templates="$("$NODE24" -e '
  const fs = require("fs");
  const names = fs.existsSync("workflows") ? fs.readdirSync("workflows").filter((f) => f.endsWith(".json"))
    .map((f) => { try { return JSON.parse(fs.readFileSync("workflows/" + f, "utf8")).name; } catch { return undefined; } })
    .filter(Boolean).map((n) => `"${n}"`) : [];
  process.stdout.write(names.join(" or ") || "your workflow");
')"
cat <<EOF

==============================================================================
 n8n is running: http://localhost:$PORT   (logs: .n8n/n8n.log; Ctrl-C stops it)

 Next steps:
 1. Open http://localhost:$PORT and create the owner account (first time only).
 2. Credentials > Add: "AmoCRM / Kommo OAuth2 API" (subdomain, domain, client ID and secret of
    your amoCRM integration; put the redirect URL n8n shows into the integration, then
    Connect) or "AmoCRM / Kommo Long-Lived Token API". Add a "Telegram API" credential too.
 3. Open a template ($templates): follow its sticky notes:
    choose the credentials in the AmoCRM and Telegram nodes, pick the pipeline and stage
    (and the deal fields for source and product) in the dropdowns, fill in Settings.
    (README.md, "Lead-intake template", explains each step.)
 4. Publish (activate) it. Your site posts leads to http://localhost:$PORT/webhook/lead
==============================================================================
EOF

while [ -z "$stop_requested" ] && kill -0 "$n8n_pid" 2>/dev/null; do
  wait "$n8n_pid" || true     # returns early when Ctrl-C arrives
done
[ -n "$stop_requested" ] || echo "n8n exited on its own (see .n8n/n8n.log)."
exit 0                          # cleanup (EXIT trap) stops n8n and PostgreSQL
