#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft) broker for Wirestream development and tests.
# The broker jars come from Maven Central (see pom.xml); no Docker, no tarball.
#
# Usage: kafka.sh {fetch|start|stop|kill|reset|status|wait}
# Settings (environment): see README.md. Several brokers can run side by side when they
# use different WIRESTREAM_KAFKA_PORT / _CONTROLLER_PORT / _DATA_DIR values.
set -euo pipefail

KAFKA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$KAFKA_DIR/../.." && pwd)"

HOST="${WIRESTREAM_KAFKA_HOST:-127.0.0.1}"
PORT="${WIRESTREAM_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${WIRESTREAM_KAFKA_CONTROLLER_PORT:-9093}"
DATA_DIR="${WIRESTREAM_KAFKA_DATA_DIR:-$REPO_DIR/var/kafka}"
HEAP="${WIRESTREAM_KAFKA_HEAP:-1g}"
START_TIMEOUT="${WIRESTREAM_KAFKA_START_TIMEOUT:-60}"
JVM_OPTS="${WIRESTREAM_KAFKA_JVM_OPTS:-}"   # extra JVM flags, split on whitespace
STOP_TIMEOUT=30

LIB_DIR="$KAFKA_DIR/lib"
STAMP="$KAFKA_DIR/.fetched"

log() { echo "kafka.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# Make DATA_DIR absolute (it ends up in server.properties and in the java command line,
# which is how is_running recognises "our" broker) and derive the paths inside it.
set_paths() {
    if [[ -d "$DATA_DIR" ]]; then
        DATA_DIR="$(cd "$DATA_DIR" && pwd)"
    elif [[ "$DATA_DIR" != /* ]]; then
        DATA_DIR="$PWD/$DATA_DIR"
    fi
    PID_FILE="$DATA_DIR/kafka.pid"
    CONFIG="$DATA_DIR/server.properties"
    OUT_LOG="$DATA_DIR/kafka.out"           # JVM stdout/stderr: WARN and above, crashes
    LOG_DIR="$DATA_DIR/logs"                # log4j2: server.log (everything at INFO)
    SERVER_LOG="$LOG_DIR/server.log"
    CLUSTER_ID_FILE="$DATA_DIR/cluster.id"
    # 'lib/*' is quoted on purpose: java expands the classpath wildcard itself.
    JAVA=(java -cp "$LIB_DIR/*" -Djava.awt.headless=true
          -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties"
          -Dkafka.logs.dir="$LOG_DIR")
}

# --- fetch ------------------------------------------------------------------------------

fetched() {
    [[ -d "$LIB_DIR" && -f "$STAMP" && ! "$KAFKA_DIR/pom.xml" -nt "$STAMP" ]]
}

cmd_fetch() {
    fetched && return 0
    # Several test workers may start brokers at once on a fresh checkout: let one fetch
    # while the others wait (locking pom.xml itself, so there is no extra lock file).
    exec 9<"$KAFKA_DIR/pom.xml"
    flock 9
    if fetched; then exec 9<&-; return 0; fi
    command -v mvn >/dev/null || die "mvn not found; it is needed once to fetch the broker jars"
    log "fetching Kafka jars with Maven into $LIB_DIR ..."
    # Start from an empty lib/ so a version change in pom.xml doesn't leave old jars on
    # the classpath next to the new ones.
    rm -rf "$LIB_DIR"
    # Maven 3.8 writes stray ANSI codes even with -q, so show its output only on failure.
    local out
    if ! out="$(cd "$KAFKA_DIR" && mvn -B -q \
            dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=lib 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "maven failed to fetch the Kafka jars"
    fi
    touch "$STAMP"
    exec 9<&-
    log "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars"
}

# --- process helpers --------------------------------------------------------------------

read_pid() {
    cat "$PID_FILE" 2>/dev/null || true
}

# True if the pid file names a live broker started from *this* data dir. Checking the
# command line guards against pid reuse; a killed-but-unreaped (zombie) process has no
# command line left, so it counts as stopped.
is_running() {
    local pid
    pid="$(read_pid)"
    [[ -n "$pid" ]] && pid_is_broker "$pid"
}

# (grep without -q throughout: with pipefail, -q exiting early can SIGPIPE the writer.)
pid_is_broker() {
    ps -ww -p "$1" -o args= 2>/dev/null | grep -F -- "kafka.Kafka $CONFIG" >/dev/null
}

port_open() {
    (: <>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# Alive and not a zombie (an exited process can stay unreaped when it was reparented).
pid_alive() {
    local stat
    stat="$(ps -p "$1" -o stat= 2>/dev/null)" && [[ "$stat" != Z* ]]
}

# Wait up to $2 seconds for pid $1 to exit and its listening sockets to close. A JVM's
# threads die one by one after SIGKILL, and the ports are released only after the last.
wait_gone() {
    local pid="$1" deadline=$((SECONDS + $2))
    while pid_alive "$pid" || port_open "$PORT" || port_open "$CONTROLLER_PORT"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# Output of the current start only: kafka.out is truncated on each start, and server.log
# is read from the offset it had before this start (it is appended to across restarts).
new_server_log() {
    [[ -f "$SERVER_LOG" ]] && tail -c +$((LOG_OFFSET + 1)) "$SERVER_LOG"
}

show_logs() {
    if [[ -s "$OUT_LOG" ]]; then
        echo "----- last 40 lines of $OUT_LOG -----" >&2
        tail -n 40 "$OUT_LOG" >&2
    fi
    if [[ -n "$(new_server_log | head -c 1)" ]]; then
        echo "----- last 40 lines of $SERVER_LOG -----" >&2
        new_server_log | tail -n 40 >&2
    fi
}

# --- start ------------------------------------------------------------------------------

render_config() {
    # Escape the replacement for sed (the data dir may contain / or &).
    local esc_dir
    esc_dir="$(printf '%s' "$DATA_DIR" | sed -e 's/[\/&|]/\\&/g')"
    sed -e "s|@HOST@|$HOST|g" \
        -e "s|@PORT@|$PORT|g" \
        -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
        -e "s|@DATA_DIR@|$esc_dir|g" \
        "$KAFKA_DIR/server.properties.in" >"$CONFIG"
}

format_storage() {
    # Formatting costs a JVM start, so only do it the first time; --ignore-formatted makes
    # it harmless anyway. The cluster id is kept so the storage always matches it.
    [[ -f "$DATA_DIR/kraft/meta.properties" ]] && return 0
    if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
        "${JAVA[@]}" kafka.tools.StorageTool random-uuid >"$CLUSTER_ID_FILE"
    fi
    "${JAVA[@]}" kafka.tools.StorageTool format --standalone --ignore-formatted \
        -t "$(cat "$CLUSTER_ID_FILE")" -c "$CONFIG" >/dev/null
}

cmd_start() {
    local t0=$SECONDS
    mkdir -p "$DATA_DIR"
    set_paths
    if is_running; then
        log "already running (pid $(read_pid), $HOST:$PORT, data $DATA_DIR)"
        cmd_wait
        return
    fi
    rm -f "$PID_FILE"
    local p
    for p in "$PORT" "$CONTROLLER_PORT"; do
        port_open "$p" && die "port $HOST:$p is already in use by another process"
    done

    cmd_fetch
    mkdir -p "$LOG_DIR"
    render_config
    format_storage

    LOG_OFFSET=0
    [[ -f "$SERVER_LOG" ]] && LOG_OFFSET="$(stat -c %s "$SERVER_LOG")"

    # setsid + nohup: the broker must outlive the calling shell (and its terminal or test
    # runner). The inner bash writes its own pid and then execs java, so the pid file holds
    # the JVM's pid even if setsid had to fork. All output goes to files so a caller that
    # captures our stdout doesn't wait for the broker to exit.
    # shellcheck disable=SC2016,SC2086  # $$ is for the inner bash; JVM_OPTS is meant to split
    setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
        "${JAVA[@]}" -Xms256m "-Xmx$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 $JVM_OPTS \
        kafka.Kafka "$CONFIG" \
        >"$OUT_LOG" 2>&1 </dev/null &

    local deadline=$((SECONDS + START_TIMEOUT)) pid=""
    while ((SECONDS < deadline)); do
        pid="$(read_pid)"
        if [[ -n "$pid" ]] && ! pid_is_broker "$pid"; then
            log "broker exited during startup"
            show_logs; rm -f "$PID_FILE"; exit 1
        fi
        if [[ -n "$pid" ]] && new_server_log | grep "Kafka Server started" >/dev/null \
            && port_open "$PORT"; then
            log "started (pid $pid, $HOST:$PORT, data $DATA_DIR) in $((SECONDS - t0))s"
            return 0
        fi
        sleep 0.2
    done
    log "broker did not come up within ${START_TIMEOUT}s; killing it"
    show_logs
    if [[ -n "$pid" ]]; then
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 10 || true
    fi
    rm -f "$PID_FILE"
    exit 1
}

# --- stop / kill / reset / status / wait -----------------------------------------------

cmd_stop() {
    set_paths
    if ! is_running; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    local pid
    pid="$(read_pid)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$pid" "$STOP_TIMEOUT"; then
        log "no exit ${STOP_TIMEOUT}s after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 10 || die "pid $pid or its ports still there 10s after SIGKILL"
    fi
    rm -f "$PID_FILE"
    log "stopped (pid $pid)"
}

cmd_kill() {
    set_paths
    if ! is_running; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    local pid
    pid="$(read_pid)"
    kill -KILL "$pid" 2>/dev/null || true
    # SIGKILL is delivered asynchronously; make sure the ports are free before returning.
    wait_gone "$pid" 10 || die "pid $pid or its ports still there 10s after SIGKILL"
    rm -f "$PID_FILE"
    log "killed (pid $pid)"
}

cmd_reset() {
    cmd_stop
    [[ -d "$DATA_DIR" ]] || return 0
    # Guard against a mistyped WIRESTREAM_KAFKA_DATA_DIR: only delete a directory that is
    # empty or was set up by this script.
    if [[ -n "$(ls -A "$DATA_DIR")" && ! -f "$CONFIG" ]]; then
        die "refusing to delete $DATA_DIR: it does not look like a kafka.sh data dir"
    fi
    rm -rf "$DATA_DIR"
    log "deleted $DATA_DIR"
}

cmd_status() {
    set_paths
    if is_running; then
        echo "running (pid $(read_pid), $HOST:$PORT, data $DATA_DIR)"
    else
        echo "stopped"
        return 1
    fi
}

cmd_wait() {
    local deadline=$((SECONDS + START_TIMEOUT))
    until port_open "$PORT"; do
        ((SECONDS < deadline)) || die "$HOST:$PORT not accepting connections after ${START_TIMEOUT}s"
        sleep 0.2
    done
}

case "${1:-}" in
    fetch)  cmd_fetch ;;
    start)  cmd_start ;;
    stop)   cmd_stop ;;
    kill)   cmd_kill ;;
    reset)  cmd_reset ;;
    status) cmd_status ;;
    wait)   cmd_wait ;;
    *) echo "usage: $0 {fetch|start|stop|kill|reset|status|wait}" >&2; exit 2 ;;
esac
