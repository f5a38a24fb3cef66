#!/usr/bin/env bash
# A local N-node Apache Kafka (KRaft) cluster on loopback, for tests of Wirestream's delivery
# guarantee with replication: N kafka.sh nodes, each broker and controller, all of them the
# voters of a static quorum. Same jars as the single-node broker. Each node gets its ports
# and data folder from the settings below (see README.md, "Cluster").
#
# Usage: cluster.sh {start|stop|status|reset|bootstrap|start-node N|stop-node N|kill N}
set -euo pipefail

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$KAFKA_DIR/../.." && pwd)"
KAFKA_SH="$KAFKA_DIR/kafka.sh"

HOST="${WIRESTREAM_KAFKA_HOST:-127.0.0.1}"
NODES="${WIRESTREAM_KAFKA_CLUSTER_NODES:-3}"
# Node i (1-based) listens on BASE_PORT + 2(i-1) (clients) and the port after it (controller),
# unless both port lists are given (comma-separated, one port per node).
BASE_PORT="${WIRESTREAM_KAFKA_CLUSTER_BASE_PORT:-19092}"
PORT_LIST="${WIRESTREAM_KAFKA_CLUSTER_PORTS:-}"
CONTROLLER_PORT_LIST="${WIRESTREAM_KAFKA_CLUSTER_CONTROLLER_PORTS:-}"
CLUSTER_DIR="${WIRESTREAM_KAFKA_CLUSTER_DIR:-$REPO_DIR/var/kafka-cluster}"
# Small heaps: N brokers share the machine with the worker and the tests.
export WIRESTREAM_KAFKA_HEAP="${WIRESTREAM_KAFKA_HEAP:-512m}"

log() { echo "cluster.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# --- settings ---------------------------------------------------------------------------

declare -a PORTS CONTROLLER_PORTS

check_settings() {
    [[ "$NODES" =~ ^[1-9][0-9]*$ ]] || die "WIRESTREAM_KAFKA_CLUSTER_NODES must be a number of nodes, not '$NODES'"
    if [[ -n "${WIRESTREAM_KAFKA_SASL_USERS:-}" || -n "${WIRESTREAM_KAFKA_SSL_KEYSTORE:-}" ]]; then
        die "the cluster has PLAINTEXT listeners only: unset WIRESTREAM_KAFKA_SASL_USERS and WIRESTREAM_KAFKA_SSL_KEYSTORE (secured listeners are a kafka.sh single-node feature)"
    fi
    local i
    if [[ -n "$PORT_LIST" || -n "$CONTROLLER_PORT_LIST" ]]; then
        IFS=',' read -r -a PORTS <<<"$PORT_LIST"
        IFS=',' read -r -a CONTROLLER_PORTS <<<"$CONTROLLER_PORT_LIST"
        ((${#PORTS[@]} == NODES && ${#CONTROLLER_PORTS[@]} == NODES)) \
            || die "WIRESTREAM_KAFKA_CLUSTER_PORTS and _CONTROLLER_PORTS need $NODES ports each (one per node); they have ${#PORTS[@]} and ${#CONTROLLER_PORTS[@]}"
    else
        [[ "$BASE_PORT" =~ ^[0-9]+$ ]] || die "WIRESTREAM_KAFKA_CLUSTER_BASE_PORT must be a port, not '$BASE_PORT'"
        PORTS=() CONTROLLER_PORTS=()
        for ((i = 0; i < NODES; i++)); do
            PORTS+=($((BASE_PORT + 2 * i)))
            CONTROLLER_PORTS+=($((BASE_PORT + 2 * i + 1)))
        done
    fi
    for i in "${PORTS[@]}" "${CONTROLLER_PORTS[@]}"; do
        [[ "$i" =~ ^[0-9]+$ ]] && ((i > 0 && i < 65536)) || die "'$i' is not a port"
    done
    if [[ "$CLUSTER_DIR" != /* ]]; then CLUSTER_DIR="$PWD/$CLUSTER_DIR"; fi
    CLUSTER_ID_FILE="$CLUSTER_DIR/cluster.id"
    # The static voter list: every node is a controller.
    QUORUM=""
    for ((i = 1; i <= NODES; i++)); do
        QUORUM+="${QUORUM:+,}$i@$HOST:${CONTROLLER_PORTS[i - 1]}"
    done
}

bootstrap() {
    local i out=""
    for ((i = 1; i <= NODES; i++)); do out+="${out:+,}$HOST:${PORTS[i - 1]}"; done
    printf '%s\n' "$out"
}

node_number() {
    [[ "${1:-}" =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= NODES)) || die "expected a node number 1..$NODES, got '${1:-}'"
}

cluster_id() {
    cat "$CLUSTER_ID_FILE" 2>/dev/null || true
}

# The cluster id every node is formatted with, generated once (as kafka.sh does for one node).
ensure_cluster_id() {
    [[ -s "$CLUSTER_ID_FILE" ]] && return 0
    bash "$KAFKA_SH" fetch
    mkdir -p "$CLUSTER_DIR"
    java -cp "$KAFKA_DIR/lib/*" kafka.tools.StorageTool random-uuid >"$CLUSTER_ID_FILE.tmp"
    mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
}

# --- one node: kafka.sh with this node's settings ---------------------------------------

# node I COMMAND: run kafka.sh COMMAND for node I; its log lines (stderr) are prefixed with the
# node, its stdout is ours. A plain pipe, not a process substitution: bash would leave the
# substitution's pipe open in kafka.sh and so in the broker it starts, and a caller reading our
# output to its end (a test's subprocess.run) would wait for the broker to exit.
node() {
    local i="$1" cmd="$2"
    {
        WIRESTREAM_KAFKA_HOST="$HOST" \
        WIRESTREAM_KAFKA_NODE_ID="$i" \
        WIRESTREAM_KAFKA_PORT="${PORTS[i - 1]}" \
        WIRESTREAM_KAFKA_CONTROLLER_PORT="${CONTROLLER_PORTS[i - 1]}" \
        WIRESTREAM_KAFKA_DATA_DIR="$CLUSTER_DIR/node$i" \
        WIRESTREAM_KAFKA_QUORUM="$QUORUM" \
        WIRESTREAM_KAFKA_CLUSTER_ID="$(cluster_id)" \
            bash "$KAFKA_SH" "$cmd" 2>&1 1>&3 3>&- | sed -u -e "s/^kafka.sh: /cluster.sh: node $i: /" >&2 3>&-
    } 3>&1
}

# on_nodes COMMAND I...: the command on these nodes at once (a quorum needs a majority of its
# nodes up before any of them is ready, so they must start together); fails if any failed.
# Each kafka.sh bounds its own waits (WIRESTREAM_KAFKA_START_TIMEOUT, the stop timeout).
on_nodes() {
    local cmd="$1" i
    shift
    local -a pids=() failed=()
    for i in "$@"; do
        node "$i" "$cmd" &
        pids+=($!)
    done
    local k=0
    for i in "$@"; do
        wait "${pids[k]}" || failed+=("$i")
        k=$((k + 1))
    done
    if ((${#failed[@]})); then
        log "$cmd failed on node(s) ${failed[*]}"
        return 1
    fi
}

all_nodes() { seq 1 "$NODES"; }

# --- commands ---------------------------------------------------------------------------

cmd_start() {
    local t0=$SECONDS
    ensure_cluster_id
    # shellcheck disable=SC2046
    if ! on_nodes start $(all_nodes); then
        log "not every node came up; 'cluster.sh stop' stops the ones that did"
        exit 1
    fi
    log "started $NODES nodes (bootstrap $(bootstrap), data $CLUSTER_DIR) in $((SECONDS - t0))s"
}

cmd_start_node() {
    node_number "$1"
    [[ -s "$CLUSTER_ID_FILE" ]] || die "no cluster in $CLUSTER_DIR yet: 'cluster.sh start' first"
    node "$1" start
}

cmd_stop() {
    # shellcheck disable=SC2046
    on_nodes stop $(all_nodes)
}

cmd_status() {
    local i state all=0
    for ((i = 1; i <= NODES; i++)); do
        state="$(node "$i" status)" || all=1
        echo "node $i: $state"
    done
    echo "bootstrap: $(bootstrap)"
    return "$all"
}

cmd_reset() {
    cmd_stop || true
    local i
    for ((i = 1; i <= NODES; i++)); do
        node "$i" reset
    done
    rm -f "$CLUSTER_ID_FILE"
    if [[ -d "$CLUSTER_DIR" ]]; then
        rmdir "$CLUSTER_DIR" 2>/dev/null || log "left $CLUSTER_DIR in place: it holds more than the nodes' data"
    fi
    log "deleted the cluster in $CLUSTER_DIR"
}

usage() {
    echo "usage: $0 {start|stop|status|reset|bootstrap|start-node N|stop-node N|kill N}" >&2
    exit 2
}

check_settings
case "${1:-}" in
    start)      cmd_start ;;
    stop)       cmd_stop ;;
    status)     cmd_status ;;
    reset)      cmd_reset ;;
    bootstrap)  bootstrap ;;
    start-node) cmd_start_node "${2:-}" ;;
    stop-node)  node_number "${2:-}"; node "$2" stop ;;
    kill)       node_number "${2:-}"; node "$2" kill ;;
    *) usage ;;
esac
