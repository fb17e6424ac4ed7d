#!/usr/bin/env bash
# A throwaway Redis (Debian's redis-server) for n8n's queue mode in the end-to-end tests and the
# benchmark.
#
#   bash scripts/redis.sh start <dir> <port>   # start on 127.0.0.1:<port>, no persistence
#   bash scripts/redis.sh stop  <dir>          # shutdown, idempotent
#   bash scripts/redis.sh bin                  # prints the path of redis-server
#
# Installed with apt-get when missing (as root), like PostgreSQL in scripts/postgres.sh.
# Listens on 127.0.0.1 only, without a socket file, and writes nothing to disk but its
# pid file and log in <dir>.
set -euo pipefail
# shellcheck source=scripts/pid.sh
. "$(dirname "$0")/pid.sh"

usage() { echo "usage: $0 start <dir> <port> | stop <dir> | bin" >&2; exit 2; }

server_bin() {
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "Redis is not installed and this is not root: run 'sudo apt-get install -y redis-server'." >&2
    return 1
  fi
  echo "Installing Redis from Debian (apt-get install redis-server)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # The package may try to start its own service on port 6379; we never use it.
  apt-get update -qq >&2 || apt-get update >&2
  apt-get install -y -qq --no-install-recommends redis-server >&2
  command -v redis-server
}

running_pid() { alive_pid "$1/redis.pid"; }

cmd="${1:-}"
case "$cmd" in
  bin)
    server_bin
    ;;
  start)
    [ $# -ge 3 ] || usage
    dir="$2"; port="$3"
    bin="$(server_bin)"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if pid="$(running_pid "$dir")"; then
      echo "Redis already running in $dir (pid $pid)." >&2
      exit 0
    fi
    rm -f "$dir/redis.pid"
    "$bin" --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "Redis listening on 127.0.0.1:$port (folder $dir)." >&2
        exit 0
      fi
      sleep 0.1
    done
    echo "Redis did not start on 127.0.0.1:$port; its log:" >&2
    cat "$dir/redis.log" >&2 || true
    exit 1
    ;;
  stop)
    [ $# -ge 2 ] || usage
    dir="$2"
    [ -d "$dir" ] || exit 0
    pid="$(running_pid "$dir")" || exit 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      running_pid "$dir" >/dev/null || exit 0
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    exit 0
    ;;
  *)
    usage
    ;;
esac
