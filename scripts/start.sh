#!/usr/bin/env bash
# `npm start`: a real n8n 2.x at http://localhost:5678 with this package loaded and the
# templates in workflows/ imported. Needs only Node 20 + npm (Node 24 and n8n come from
# the npm registry into the user's cache, see scripts/node24.sh and scripts/n8n-install.sh).
#
# n8n's data lives in .n8n/ in the clone (git-ignored; N8N_START_DATA_DIR moves it): the user
# folder, the database and n8n's log (n8n.log). The terminal shows only progress, the
# address and the next steps; n8n's own log lines go to the file.
# Database: n8n's default, SQLite (its driver is compiled once for Node 24 and cached, see
# scripts/n8n-sqlite.sh). N8N_DB=postgres uses a throwaway PostgreSQL from Debian instead
# (scripts/postgres.sh; n8n 2.x logs that it wants PostgreSQL 17 when Debian ships 15).
# A data folder keeps the database its first start chose. Port: N8N_PORT (default 5678).
# Ctrl-C stops n8n (and PostgreSQL).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

PORT="${N8N_PORT:-5678}"
BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-5679}"
PG_PORT="${N8N_START_PG_PORT:-54329}"
DATA="${N8N_START_DATA_DIR:-$ROOT/.n8n}"   # N8N_USER_FOLDER; n8n itself writes to $DATA/.n8n
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
build_log="$(mktemp)"
if ! npm run build --silent >"$build_log" 2>&1; then
  cat "$build_log" >&2; rm -f "$build_log"
  echo "The build failed (see above)." >&2
  exit 1
fi
rm -f "$build_log"

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
  else
    db=sqlite
  fi
fi
case "$db" in
  sqlite | postgres) ;;
  *) echo "N8N_DB must be sqlite or postgres, not \"$db\"." >&2; exit 1 ;;
esac
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
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$n8n_pid" ] && kill -0 "$n8n_pid" 2>/dev/null; then
    echo; echo "==> Ctrl-C: stopping n8n (it saves running executions first)..."
    kill -TERM "$n8n_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$n8n_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$n8n_pid" 2>/dev/null || true
    wait "$n8n_pid" 2>/dev/null || true
  fi
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
  say "Starting PostgreSQL on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
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
  if ! bash scripts/n8n-sqlite.sh "$N8N_DIR"; then
    echo "n8n's SQLite database cannot run here (see above). Install the tools it names, or use" >&2
    echo "PostgreSQL instead: N8N_DB=postgres npm start" >&2
    exit 1
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
# n8n logs a few hundred lines while it starts: they go to the log file, so that the address
# and the next steps stay the last thing on screen.
log_shown="$DATA/n8n.log"
case "$log_shown" in "$ROOT"/*) log_shown="${log_shown#"$ROOT"/}" ;; esac
say "Starting n8n $("$NODE24" -p "require('$N8N_DIR/node_modules/n8n/package.json').version") on http://localhost:$PORT ($db; its log goes to $log_shown)"
"${N8N[@]}" start >"$DATA/n8n.log" 2>&1 &
n8n_pid=$!
stop_requested=""
trap 'stop_requested=1' INT TERM
ready=""
for i in $(seq 1 360); do
  [ -z "$stop_requested" ] || exit 130
  if ! kill -0 "$n8n_pid" 2>/dev/null; then
    tail -n 30 "$DATA/n8n.log" >&2
    echo "n8n exited during start (the last lines of $log_shown are above)." >&2
    exit 1
  fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz/readiness" || true)" = 200 ]; then
    ready=1
    break
  fi
  [ $((i % 20)) != 0 ] || echo "    still starting ($((i / 2)) s; the first start sets up the database)..."
  sleep 0.5
done
if [ -z "$ready" ]; then
  tail -n 30 "$DATA/n8n.log" >&2
  echo "n8n did not become ready in 3 minutes (the last lines of $log_shown are above)." >&2
  exit 1
fi

# The template to open: lead-intake.json (leads in an n8n Data table, nothing to set up).
template="$("$NODE24" -e '
  try { process.stdout.write(JSON.parse(require("fs").readFileSync("workflows/lead-intake.json", "utf8")).name); }
  catch { process.stdout.write("amoCRM lead intake"); }
')"
cat <<EOF

==============================================================================
 n8n is ready: http://localhost:$PORT
 Database: $db. n8n's log: $log_shown (follow it: tail -f $log_shown)
 Ctrl-C stops n8n.

 Next steps (README.md explains each; docs/ru and docs/uz: Russian, Uzbek):
 1. Open http://localhost:$PORT and set up the owner account (first time only).
 2. The AmoCRM node is linked from this folder, so Settings > Community nodes
    does not list it: in a workflow click + and search "amo" or "kommo".
    After npm run build, restart npm start to load the new build.
 3. Create a credential: "AmoCRM / Kommo Long-Lived Token API" (a token from a
    private integration) or "AmoCRM / Kommo OAuth2 API" (client ID and secret,
    then Connect). Add a "Telegram API" credential too.
 4. Open the template "$template" (Overview > Workflows; the
    "(PostgreSQL)" one keeps leads in PostgreSQL instead) and follow its sticky
    notes: credentials, stage, Settings. Then Publish (greyed out until every
    node is set up). Your site posts leads to http://localhost:$PORT/webhook/lead
==============================================================================
EOF

while [ -z "$stop_requested" ] && kill -0 "$n8n_pid" 2>/dev/null; do
  wait "$n8n_pid" || true     # returns early when Ctrl-C arrives
done
[ -n "$stop_requested" ] || echo "n8n exited on its own (see $log_shown)."
exit 0                          # cleanup (EXIT trap) stops n8n and PostgreSQL
