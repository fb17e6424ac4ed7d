#!/usr/bin/env bash
# A throwaway PostgreSQL (Debian's, 15 here) for n8n and the end-to-end tests.
#
#   bash scripts/postgres.sh start <dir> <port>   # initdb on first use, start on 127.0.0.1:<port>
#   bash scripts/postgres.sh stop  <dir> [port]   # fast shutdown
#   bash scripts/postgres.sh bin                  # prints the folder of initdb/pg_ctl/psql
#
# Both are idempotent. The server trusts local connections (user `postgres`, no password)
# and listens on 127.0.0.1 only, with its socket inside <dir>. initdb refuses to run as
# root, so as root the cluster belongs to the `postgres` user. A stopped postmaster can
# linger as a zombie (nothing reaps it in a container): that counts as stopped.
set -euo pipefail
# shellcheck source=scripts/pid.sh
. "$(dirname "$0")/pid.sh"

usage() { echo "usage: $0 start|stop <dir> <port> | bin" >&2; exit 2; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return 0
  fi
  return 1
}

pg_bin() {
  local d
  if d="$(find_bin)"; then echo "$d"; return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed and this is not root: run 'sudo apt-get install -y postgresql'." >&2
    return 1
  fi
  echo "Installing PostgreSQL from Debian (apt-get install postgresql)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # The package's maintainer scripts may try to start a default cluster; we never use it.
  apt-get update -qq >&2 || apt-get update >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  find_bin
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

postmaster_pid() { alive_pid "$1/postmaster.pid"; }

cmd="${1:-}"
case "$cmd" in
  bin)
    pg_bin
    ;;
  start)
    [ $# -ge 3 ] || usage
    dir="$2"; port="$3"
    bin="$(pg_bin)"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
      chown postgres: "$dir"
      chmod 700 "$dir"
      # The postgres user must be able to reach <dir> (e.g. under /root or a 0700 mktemp parent).
      p="$(dirname "$dir")"
      while [ "$p" != "/" ]; do
        if ! runuser -u postgres -- test -x "$p" 2>/dev/null; then chmod o+x "$p"; fi
        p="$(dirname "$p")"
      done
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      if ! out="$(as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --no-locale 2>&1)"; then
        echo "$out" >&2
        exit 1
      fi
      # Throwaway server: favour speed over durability. Room for n8n in queue mode: each of its
      # processes holds its own database pool and one pool per Postgres credential.
      cat >>"$dir/postgresql.conf" <<EOF
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
    fi
    if pid="$(postmaster_pid "$dir")"; then
      echo "PostgreSQL already running in $dir (pid $pid)." >&2
      exit 0
    fi
    # A stale pid file from a killed server (or a zombie) would block the start.
    rm -f "$dir/postmaster.pid"
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >&2
    echo "PostgreSQL listening on 127.0.0.1:$port (data $dir)." >&2
    ;;
  stop)
    [ $# -ge 2 ] || usage
    dir="$2"
    [ -d "$dir" ] || exit 0
    if ! pid="$(postmaster_pid "$dir")"; then
      exit 0
    fi
    bin="$(find_bin)" || { kill -TERM "$pid" 2>/dev/null || true; exit 0; }
    # pg_ctl waits for the pid file to go; a zombie postmaster would keep that wait busy,
    # so watch the process state ourselves.
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -W stop >/dev/null 2>&1 || kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      postmaster_pid "$dir" >/dev/null || exit 0
      sleep 0.1
    done
    kill -QUIT "$pid" 2>/dev/null || true
    sleep 0.5
    postmaster_pid "$dir" >/dev/null || exit 0
    echo "PostgreSQL in $dir did not stop (pid $pid)." >&2
    exit 1
    ;;
  *)
    usage
    ;;
esac
