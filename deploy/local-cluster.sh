#!/usr/bin/env bash
# A small Ray 2.39 cluster on this machine, for running Ladder's Java driver and
# actors in separate worker JVMs (cluster mode) and for the tests that need it.
#
#   deploy/local-cluster.sh start [--nodes 1|2] [--port P] [--cpus N] [--dashboard]
#                                 [--object-store-mb M]
#   deploy/local-cluster.sh stop    [--port P]
#   deploy/local-cluster.sh status  [--port P]
#   deploy/local-cluster.sh address [--port P]
#
# start prints the GCS address (HOST:PORT) on the last line of stdout; give it to the
# Java driver as -Dray.address=HOST:PORT. Everything else goes to stderr.
#
# Port layout (P = --port, default 6390, so a user's default Ray on 6379/8265/10001/52365
# is left alone); node 2 uses P+10.. for its own ports:
#   P    GCS                     P+1/P+11  node manager      P+2/P+12  object manager
#   P+3  Ray client server       P+4/P+14  dashboard agent HTTP        P+5/P+15 agent gRPC
#   P+6/P+16 runtime-env agent   P+7/P+17  metrics export    P+8 dashboard (--dashboard)
#   P+9  dashboard gRPC          P+100..P+299 worker ports node 1, P+300..P+499 node 2
#
# Custom resources, so a test can pin an actor to a node:
#   node 1 (head): {"ladder_node1": 1000}     node 2: {"ladder_node2": 1000}
#   e.g. Ray.actor(Foo::new).setResource("ladder_node2", 1.0).remote()
#
# Every Java worker JVM gets LADDER_WORKER_JVM_OPTS (default: @jvm.options, the --add-opens
# list Ray's serializer needs on JDK 17, plus -Dai.djl.offline=true) through JDK_JAVA_OPTIONS in the
# environment of `ray start`: the raylet inherits it and the `java` launcher of each worker
# reads it. The driver needs the same flags on its own command line.
#
# Temp/session dir: ${LADDER_RAY_TMP:-/tmp/ladder-ray-P} (kept short: Ray's unix socket
# paths must stay under 107 characters). `stop` ends only the processes of this cluster.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"

DEFAULT_JVM_OPTS="@${REPO_ROOT}/jvm.options"  # the java launcher expands @argfiles here too
WORKER_JVM_OPTS="${LADDER_WORKER_JVM_OPTS:-${DEFAULT_JVM_OPTS}}"

die() { echo "local-cluster.sh: $*" >&2; exit 2; }
log() { echo "local-cluster.sh: $*" >&2; }
[[ -n "${LADDER_WORKER_JVM_OPTS:-}" || -f "${REPO_ROOT}/jvm.options" ]] || die "${REPO_ROOT}/jvm.options is missing (the JVM options every worker needs)"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

CMD="${1:-}"
[[ -n "${CMD}" ]] || usage
shift

PORT="${LADDER_RAY_PORT:-6390}"
NODES=1
CPUS="${LADDER_RAY_CPUS:-4}"
DASHBOARD=false
OBJECT_STORE_MB="${LADDER_RAY_OBJECT_STORE_MB:-1024}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nodes) NODES="${2:-}"; shift 2 ;;
    --nodes=*) NODES="${1#*=}"; shift ;;
    --port) PORT="${2:-}"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --cpus) CPUS="${2:-}"; shift 2 ;;
    --cpus=*) CPUS="${1#*=}"; shift ;;
    --object-store-mb) OBJECT_STORE_MB="${2:-}"; shift 2 ;;
    --object-store-mb=*) OBJECT_STORE_MB="${1#*=}"; shift ;;
    --dashboard) DASHBOARD=true; shift ;;
    -h|--help) usage ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "${NODES}" == 1 || "${NODES}" == 2 ]] || die "--nodes must be 1 or 2, got '${NODES}'"
[[ "${PORT}" =~ ^[0-9]+$ && "${PORT}" -ge 1024 && "${PORT}" -le 64000 ]] || die "--port must be a number in 1024..64000, got '${PORT}'"
[[ "${CPUS}" =~ ^[0-9]+$ && "${CPUS}" -ge 1 ]] || die "--cpus must be a positive integer, got '${CPUS}'"
[[ "${OBJECT_STORE_MB}" =~ ^[0-9]+$ && "${OBJECT_STORE_MB}" -ge 80 ]] || die "--object-store-mb must be a number >= 80, got '${OBJECT_STORE_MB}'"

RAY_TMP="${LADDER_RAY_TMP:-/tmp/ladder-ray-${PORT}}"
STATE_FILE="${RAY_TMP}/ladder-cluster.env"
export RAY_USAGE_STATS_ENABLED=0

ray_bin() {
  local bin
  bin="$("${SCRIPT_DIR}/ray-venv.sh" | tail -n 1)" || die "could not set up the Ray venv (deploy/ray-venv.sh failed)"
  echo "${bin}"
}

# PIDs of the processes that belong to this cluster: every Ray process started for it
# carries the temp dir or the GCS port in its command line; workers that renamed
# themselves (Python's "ray::IDLE", "ray::JobSupervisor") are found as descendants.
cluster_pids() {
  # Patterns go through the environment so that awk's own command line never matches.
  ps -eo pid=,ppid=,args= | LC_TMP="${RAY_TMP}/" LC_PORT="${PORT}" LC_SELF="$$" awk '
    BEGIN { tmp = ENVIRON["LC_TMP"]; port = ENVIRON["LC_PORT"]; self = ENVIRON["LC_SELF"] }
    {
      pid = $1; ppid[pid] = $2; line = $0
      if (pid == self || index(line, "local-cluster.sh")) next
      if (index(line, tmp) || (line ~ /ray\.util\.client\.server/ && line ~ (":" port "( |$)"))) mine[pid] = 1
    }
    END {
      do { added = 0; for (p in ppid) if (!(p in mine) && (ppid[p] in mine) && p != self) { mine[p] = 1; added = 1 } } while (added)
      for (p in mine) print p
    }'
}

gcs_port_open() { # fast check (no retries) that something listens on the GCS port
  timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/${PORT}" 2>/dev/null
}

gcs_up() { # true if a Ray GCS answers `ray status` for this cluster
  gcs_port_open && "${RAY}/ray" status --address "127.0.0.1:${PORT}" >/dev/null 2>&1
}

active_nodes() {
  "${RAY}/ray" status --address "127.0.0.1:${PORT}" 2>/dev/null \
    | awk '/^Active:/{a=1;next} /^(Pending|Idle):/{a=0} a && /node_/{n++} END{print n+0}'
}

read_address() {
  if [[ -f "${STATE_FILE}" ]]; then
    # shellcheck disable=SC1090
    ( . "${STATE_FILE}"; echo "${LADDER_RAY_ADDRESS}" )
  else
    echo "127.0.0.1:${PORT}"
  fi
}

cmd_start() {
  command -v java >/dev/null 2>&1 || die "java is not on PATH; Ray starts Java workers only if 'java' is found when 'ray start' runs (install JDK 17)"
  RAY="$(ray_bin)"
  local jars
  jars="$("${RAY}/python" -c 'import os, ray; print(os.path.join(os.path.dirname(ray.__file__), "jars"))')"
  [[ -f "${jars}/ray_dist.jar" ]] || die "Ray's Java jars folder is missing (${jars}/ray_dist.jar); reinstall with deploy/ray-venv.sh"

  if [[ -n "$(cluster_pids)" ]]; then
    if gcs_up; then
      log "a cluster on port ${PORT} is already running ($(active_nodes) node(s)); stop it first to change it"
      read_address
      return 0
    fi
    die "processes of an earlier cluster on port ${PORT} are still there; run: $0 stop --port ${PORT}"
  fi

  mkdir -p "${RAY_TMP}"
  # Each session keeps its logs plus a 32 MB copy of Ray's JNI library: keep the two
  # most recent earlier sessions for their logs, drop the rest.
  local old
  while IFS= read -r old; do
    [[ -n "${old}" ]] && rm -rf -- "${old}"
  done < <(ls -1dt "${RAY_TMP}"/session_2* 2>/dev/null | tail -n +3)
  # Jobs submitted with `ray job submit` run in the working directory of `ray start`:
  # make it the repo root, so relative paths in an entrypoint mean the same every time.
  cd "${REPO_ROOT}"
  local t0=$SECONDS p="${PORT}"
  local store_bytes=$(( OBJECT_STORE_MB * 1024 * 1024 ))
  local head_args=(
    start --head --port "${p}" --num-cpus "${CPUS}" --num-gpus 0
    --resources '{"ladder_node1": 1000}'
    --object-store-memory "${store_bytes}"
    --temp-dir "${RAY_TMP}" --disable-usage-stats
    --node-manager-port $((p + 1)) --object-manager-port $((p + 2))
    --ray-client-server-port $((p + 3))
    --dashboard-agent-listen-port $((p + 4)) --dashboard-agent-grpc-port $((p + 5))
    --runtime-env-agent-port $((p + 6)) --metrics-export-port $((p + 7))
    --dashboard-port $((p + 8)) --dashboard-grpc-port $((p + 9))
    --min-worker-port $((p + 100)) --max-worker-port $((p + 299))
    --log-style record
  )
  if [[ "${DASHBOARD}" == true ]]; then
    head_args+=(--include-dashboard=true --dashboard-host 127.0.0.1)
  else
    head_args+=(--include-dashboard=false)
  fi
  log "starting head node on port ${p} (temp dir ${RAY_TMP}, ${CPUS} CPUs, dashboard=${DASHBOARD})"
  if ! JDK_JAVA_OPTIONS="${WORKER_JVM_OPTS}" "${RAY}/ray" "${head_args[@]}" > "${RAY_TMP}/start-head.log" 2>&1; then
    tail -n 5 "${RAY_TMP}/start-head.log" >&2
    die "ray start --head failed (full log: ${RAY_TMP}/start-head.log)"
  fi

  # The address Ray itself announces (the node's IP, not 127.0.0.1: Ray resolves
  # 127.0.0.1 to the interface address, and the Java driver picks the same interface).
  local address
  address="$(grep -oE "ray start --address='[^']+'" "${RAY_TMP}/start-head.log" | head -n 1 | sed -E "s/.*'([^']+)'/\1/")"
  [[ -n "${address}" ]] || address="127.0.0.1:${p}"

  if [[ "${NODES}" == 2 ]]; then
    local node2_args=(
      start --address "${address}" --num-cpus "${CPUS}" --num-gpus 0
      --resources '{"ladder_node2": 1000}'
      --object-store-memory "${store_bytes}" --disable-usage-stats
      --node-manager-port $((p + 11)) --object-manager-port $((p + 12))
      --dashboard-agent-listen-port $((p + 14)) --dashboard-agent-grpc-port $((p + 15))
      --runtime-env-agent-port $((p + 16)) --metrics-export-port $((p + 17))
      --min-worker-port $((p + 300)) --max-worker-port $((p + 499))
      --log-style record
    )
    log "starting node 2 (node manager port $((p + 11)))"
    if ! JDK_JAVA_OPTIONS="${WORKER_JVM_OPTS}" "${RAY}/ray" "${node2_args[@]}" > "${RAY_TMP}/start-node2.log" 2>&1; then
      tail -n 5 "${RAY_TMP}/start-node2.log" >&2
      die "ray start for node 2 failed (full log: ${RAY_TMP}/start-node2.log); the head is still running: $0 stop --port ${p}"
    fi
  fi

  local deadline=$((SECONDS + 60)) n=0
  while :; do
    n="$(active_nodes)"
    [[ "${n}" -ge "${NODES}" ]] && break
    if [[ ${SECONDS} -ge ${deadline} ]]; then
      die "only ${n} of ${NODES} node(s) became active within 60 s; see ${RAY_TMP}/session_latest/logs"
    fi
    sleep 1
  done

  {
    echo "LADDER_RAY_ADDRESS=${address}"
    echo "LADDER_RAY_PORT=${p}"
    echo "LADDER_RAY_NODES=${NODES}"
    echo "LADDER_RAY_TMP=${RAY_TMP}"
    if [[ "${DASHBOARD}" == true ]]; then echo "LADDER_RAY_DASHBOARD=http://127.0.0.1:$((p + 8))"; fi
  } > "${STATE_FILE}"
  log "cluster up: ${n} node(s) in $((SECONDS - t0)) s; resources ladder_node1$([[ ${NODES} == 2 ]] && echo ', ladder_node2')$([[ ${DASHBOARD} == true ]] && echo "; dashboard/job API http://127.0.0.1:$((p + 8))")"
  echo "${address}"
}

cmd_stop() {
  local pids
  pids="$(cluster_pids | tr '\n' ' ')"
  if [[ -z "${pids// /}" ]]; then
    log "no cluster processes for port ${PORT} (temp dir ${RAY_TMP})"
    rm -f "${STATE_FILE}"
    return 0
  fi
  log "stopping cluster on port ${PORT}: pids ${pids}"
  # shellcheck disable=SC2086
  kill -TERM ${pids} 2>/dev/null || true
  local deadline=$((SECONDS + 5))
  while [[ -n "$(cluster_pids)" && ${SECONDS} -lt ${deadline} ]]; do sleep 0.5; done
  pids="$(cluster_pids | tr '\n' ' ')"
  if [[ -n "${pids// /}" ]]; then
    log "still alive after 5 s, sending SIGKILL: ${pids}"
    # shellcheck disable=SC2086
    kill -KILL ${pids} 2>/dev/null || true
    sleep 1
  fi
  if [[ -n "$(cluster_pids)" ]]; then
    log "some processes survived; falling back to 'ray stop --force' (this stops EVERY Ray cluster of this user on the machine)"
    RAY="$(ray_bin)"
    "${RAY}/ray" stop --force >&2 || true
  fi
  rm -f "${STATE_FILE}"
  log "stopped"
}

cmd_status() {
  RAY="$(ray_bin)"
  gcs_port_open || die "no Ray cluster answers on port ${PORT}"
  if ! "${RAY}/ray" status --address "127.0.0.1:${PORT}"; then
    die "no Ray cluster answers on port ${PORT}"
  fi
}

cmd_address() {
  RAY="$(ray_bin)"
  gcs_up || die "no Ray cluster answers on port ${PORT}; start one with: $0 start --port ${PORT}"
  read_address
}

case "${CMD}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  address) cmd_address ;;
  -h|--help|help) usage ;;
  *) die "unknown command '${CMD}' (start | stop | status | address)" ;;
esac
