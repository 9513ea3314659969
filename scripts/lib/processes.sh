# Long-running commands started together and stopped together (sourced by scripts/run.sh).
#
# Ctrl-C reached neither of the old background jobs: a script's background jobs ignore SIGINT,
# and a django-q2 cluster told to stop may wait on its workers for long. So each command runs
# in its own process group (setsid), and stop_groups sends SIGTERM to every group, gives them
# STOP_GRACE_SECONDS, then sends SIGKILL to whatever is left, children included.
STOP_GRACE_SECONDS=${STOP_GRACE_SECONDS:-10}
group_pids=()

# start_group CMD [ARGS...]: run CMD in the background in a new session; its pid is its group id.
start_group() {
  setsid "$@" &
  group_pids+=("$!")
}

_groups_alive() {
  local pid
  for pid in "${group_pids[@]}"; do
    kill -0 -- "-$pid" 2>/dev/null && return 0
  done
  return 1
}

# stop_groups: stop every group started with start_group (for trap … EXIT INT TERM).
stop_groups() {
  trap - EXIT INT TERM
  local pid deadline=$((SECONDS + STOP_GRACE_SECONDS))
  [ "${#group_pids[@]}" -gt 0 ] || return 0
  for pid in "${group_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  while _groups_alive && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if _groups_alive; then
    echo "==> Arrêt forcé des processus restants" >&2
    for pid in "${group_pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  fi
  wait 2>/dev/null || true
}
