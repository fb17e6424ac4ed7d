# Sourced by scripts/postgres.sh and scripts/redis.sh.
# alive_pid <pid file>: prints the pid in the file's first line if that process is alive and
# not a zombie (a stopped server can linger as one when nothing reaps it in a container).
alive_pid() {
  local file="$1" pid state
  [ -f "$file" ] || return 1
  pid="$(head -n1 "$file" 2>/dev/null || true)"
  [ -n "$pid" ] || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  case "$state" in
    "" | Z | X) return 1 ;;
  esac
  echo "$pid"
}
