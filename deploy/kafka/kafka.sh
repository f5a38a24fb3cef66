#!/usr/bin/env bash
# Local Apache Kafka (KRaft) broker for Wirestream development and tests: a single-node
# broker by default, or one node of a loopback cluster (WIRESTREAM_KAFKA_NODE_ID, _QUORUM,
# _CLUSTER_ID; cluster.sh sets them for every node). The broker jars come from Maven Central
# (see pom.xml); no Docker, no tarball.
#
# Usage: kafka.sh {fetch|start|stop|kill|reset|status|wait}
# Settings (environment): see README.md. Several brokers can run side by side when they
# use different WIRESTREAM_KAFKA_PORT / _CONTROLLER_PORT / _DATA_DIR values (and _SASL_PORT,
# _SSL_PORT, _SASL_SSL_PORT when the opt-in secured listeners are on).
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

# Cluster node (all three set by cluster.sh; unset: a single node, its own quorum):
#   NODE_ID     this node's node.id
#   QUORUM      static voter list "1@host:controller-port,2@...", the same on every node
#   CLUSTER_ID  the KRaft cluster id, the same on every node (required with QUORUM)
NODE_ID="${WIRESTREAM_KAFKA_NODE_ID:-1}"
QUORUM="${WIRESTREAM_KAFKA_QUORUM:-}"
CLUSTER_ID="${WIRESTREAM_KAFKA_CLUSTER_ID:-}"

# Opt-in secured listeners, beside the PLAINTEXT one (which the tooling keeps using):
#   SASL_USERS "user:password,..."  adds SASL_PLAINTEXT on SASL_PORT (PLAIN, SCRAM-SHA-256/512)
#   SSL_KEYSTORE <pem>              adds SSL on SSL_PORT (mutual TLS when SSL_TRUSTSTORE is set)
#   both                            also adds SASL_SSL on SASL_SSL_PORT
SASL_USERS="${WIRESTREAM_KAFKA_SASL_USERS:-}"
SASL_PORT="${WIRESTREAM_KAFKA_SASL_PORT:-9094}"
SSL_KEYSTORE="${WIRESTREAM_KAFKA_SSL_KEYSTORE:-}"
SSL_TRUSTSTORE="${WIRESTREAM_KAFKA_SSL_TRUSTSTORE:-}"
SSL_PORT="${WIRESTREAM_KAFKA_SSL_PORT:-9095}"
SASL_SSL_PORT="${WIRESTREAM_KAFKA_SASL_SSL_PORT:-9096}"

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
    QUORUM_STAMP="$DATA_DIR/quorum"         # the quorum the storage was formatted for
    SCRAM_STAMP="$DATA_DIR/scram-users.sha256"  # hash of the SASL user list the SCRAM store holds
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
    while pid_alive "$pid" || any_port_open; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

any_port_open() {
    local p
    for p in $(all_ports); do
        port_open "$p" && return 0
    done
    return 1
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

# --- opt-in SASL and TLS listeners ------------------------------------------------------

sasl_enabled() { [[ -n "$SASL_USERS" ]]; }
ssl_enabled() { [[ -n "$SSL_KEYSTORE" ]]; }

all_ports() {
    echo "$PORT" "$CONTROLLER_PORT"
    if sasl_enabled; then echo "$SASL_PORT"; fi
    if ssl_enabled; then echo "$SSL_PORT"; fi
    if sasl_enabled && ssl_enabled; then echo "$SASL_SSL_PORT"; fi
}

# "name password" lines from SASL_USERS (check_security has validated them).
sasl_user_lines() {
    local entry
    local -a entries
    IFS=',' read -r -a entries <<<"$SASL_USERS"
    for entry in "${entries[@]}"; do
        [[ -n "$entry" ]] && printf '%s %s\n' "${entry%%:*}" "${entry#*:}"
    done
    return 0
}

# Validate the opt-in settings in the main shell (die in a subshell would not stop start)
# and make the PEM paths absolute. User names and passwords are restricted because they go
# into a JAAS string in server.properties and into the SCRAM syntax of StorageTool and
# ConfigCommand ('SCRAM-SHA-256=[name=...,password=...]'), which have no escaping.
check_security() {
    if sasl_enabled; then
        local entry
        local -a entries
        IFS=',' read -r -a entries <<<"$SASL_USERS"
        for entry in "${entries[@]}"; do
            [[ -z "$entry" ]] && continue
            [[ "$entry" == *:* && "${entry%%:*}" =~ ^[A-Za-z0-9._-]+$ && "${entry#*:}" =~ ^[A-Za-z0-9._~!@#%^*+/-]+$ ]] \
                || die "WIRESTREAM_KAFKA_SASL_USERS: entries are user:password with user in [A-Za-z0-9._-] and password in [A-Za-z0-9._~!@#%^*+/-]; the entry of user '${entry%%:*}' is not"
        done
        [[ -n "$(sasl_user_lines)" ]] || die "WIRESTREAM_KAFKA_SASL_USERS has no user:password entry"
    fi
    if ssl_enabled; then
        SSL_KEYSTORE="$(abs_file "$SSL_KEYSTORE" WIRESTREAM_KAFKA_SSL_KEYSTORE)" || exit 1
        if [[ -n "$SSL_TRUSTSTORE" ]]; then
            SSL_TRUSTSTORE="$(abs_file "$SSL_TRUSTSTORE" WIRESTREAM_KAFKA_SSL_TRUSTSTORE)" || exit 1
        fi
    elif [[ -n "$SSL_TRUSTSTORE" ]]; then
        die "WIRESTREAM_KAFKA_SSL_TRUSTSTORE needs WIRESTREAM_KAFKA_SSL_KEYSTORE (the broker's own key and certificate)"
    fi
}

abs_file() {
    [[ -f "$1" ]] || die "$2: no such file: $1"
    printf '%s/%s' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"
}

# Listeners ("listeners") or protocol-map entries ("protocols") after the PLAINTEXT and CONTROLLER
# ones; empty by default.
extra_entries() {
    local what="$1" out="" name port
    while read -r name port; do
        if [[ "$what" == listeners ]]; then out+=",$name://$HOST:$port"; else out+=",$name:$name"; fi
    done < <(secured_listeners)
    printf '%s' "$out"
}

# "NAME PORT" of each secured listener enabled by the settings.
secured_listeners() {
    if sasl_enabled; then echo "SASL_PLAINTEXT $SASL_PORT"; fi
    if ssl_enabled; then echo "SSL $SSL_PORT"; fi
    if sasl_enabled && ssl_enabled; then echo "SASL_SSL $SASL_SSL_PORT"; fi
    return 0
}

# Properties appended to server.properties when a secured listener is enabled. PLAIN users
# are listed in the listener's JAAS config; SCRAM users live in the KRaft metadata log
# (added at format time, or by ConfigCommand after start: see ensure_scram_users).
security_config() {
    sasl_enabled || ssl_enabled || return 0
    echo
    echo "# --- Secured listeners (rendered by kafka.sh from WIRESTREAM_KAFKA_SASL_USERS / _SSL_*) ---"
    if sasl_enabled; then
        local users="" name password listener
        while read -r name password; do
            users+=" user_${name}=\"${password}\""
        done < <(sasl_user_lines)
        echo "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"
        for listener in sasl_plaintext $(ssl_enabled && echo sasl_ssl); do
            echo "listener.name.$listener.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required${users};"
            echo "listener.name.$listener.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
            echo "listener.name.$listener.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
        done
    fi
    if ssl_enabled; then
        # One PEM file: the broker's private key (PKCS#8, unencrypted) and its certificate chain.
        echo "ssl.keystore.type=PEM"
        echo "ssl.keystore.location=$SSL_KEYSTORE"
        if [[ -n "$SSL_TRUSTSTORE" ]]; then
            # Mutual TLS on the SSL listener: clients present a certificate signed by these CAs.
            echo "listener.name.ssl.ssl.truststore.type=PEM"
            echo "listener.name.ssl.ssl.truststore.location=$SSL_TRUSTSTORE"
            echo "listener.name.ssl.ssl.client.auth=required"
        fi
    fi
}

users_hash() {
    printf '%s' "$SASL_USERS" | sha256sum | cut -d' ' -f1
}

# StorageTool arguments that create every SASL user's SCRAM-SHA-256 and -512 credentials.
scram_format_args() {
    local name password
    while read -r name password; do
        printf '%s\n' --add-scram "SCRAM-SHA-256=[name=$name,password=$password]" \
                      --add-scram "SCRAM-SHA-512=[name=$name,password=$password]"
    done < <(sasl_user_lines)
}

# A data dir formatted before the users were set (or with another list) gets its SCRAM
# credentials through the running broker instead: ConfigCommand on the PLAINTEXT listener,
# one mechanism per call (KRaft refuses to alter one user's credentials twice in a request).
# Users dropped from the list are not deleted (kafka.sh reset starts over).
ensure_scram_users() {
    sasl_enabled || return 0
    [[ "$(cat "$SCRAM_STAMP" 2>/dev/null)" == "$(users_hash)" ]] && return 0
    local name password mechanism out
    while read -r name password; do
        for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
            if ! out="$("${JAVA[@]}" kafka.admin.ConfigCommand --bootstrap-server "$HOST:$PORT" --alter \
                    --entity-type users --entity-name "$name" \
                    --add-config "$mechanism=[password=$password]" 2>&1)"; then
                # ConfigCommand repeats its arguments in its error message: mask the password.
                printf '%s\n' "$out" | sed -e 's/password=[^],]*/password=*****/g' | head -n 5 >&2
                log "could not set the $mechanism credentials of SASL user $name"
                return 1
            fi
        done
    done < <(sasl_user_lines)
    users_hash >"$SCRAM_STAMP"
    log "SCRAM credentials set for the SASL users"
}

# --- cluster node -----------------------------------------------------------------------

cluster_node() { [[ -n "$QUORUM" ]]; }

# Validate the node settings in the main shell and derive the quorum property and the
# replication settings of the template. Every node of a cluster is broker and controller, so
# the voters are the brokers too: replication factor 3 (or the node count, if fewer) and a
# min ISR one less, so an acks=all write is on two brokers before it is acknowledged.
check_node() {
    [[ "$NODE_ID" =~ ^[0-9]+$ ]] || die "WIRESTREAM_KAFKA_NODE_ID must be a number, not '$NODE_ID'"
    if [[ -n "$CLUSTER_ID" && ! "$CLUSTER_ID" =~ ^[A-Za-z0-9_-]{22}$ ]]; then
        die "WIRESTREAM_KAFKA_CLUSTER_ID must be a KRaft cluster id (22 characters of base64url, as 'StorageTool random-uuid' prints), not '$CLUSTER_ID'"
    fi
    if ! cluster_node; then
        [[ "$NODE_ID" == 1 ]] || die "WIRESTREAM_KAFKA_NODE_ID=$NODE_ID needs WIRESTREAM_KAFKA_QUORUM (a single node is node 1)"
        QUORUM_PROPERTY="controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT"
        REPLICATION=1
        MIN_ISR=1
        return 0
    fi
    [[ -n "$CLUSTER_ID" ]] || die "WIRESTREAM_KAFKA_QUORUM needs WIRESTREAM_KAFKA_CLUSTER_ID, the same on every node"
    local entry voters=0 mine="" seen=","
    local -a entries
    IFS=',' read -r -a entries <<<"$QUORUM"
    for entry in "${entries[@]}"; do
        [[ "$entry" =~ ^([0-9]+)@[A-Za-z0-9.-]+:[0-9]+$ ]] \
            || die "WIRESTREAM_KAFKA_QUORUM: entries are id@host:controller-port, comma-separated; '$entry' is not"
        [[ "$seen" != *",${BASH_REMATCH[1]},"* ]] || die "WIRESTREAM_KAFKA_QUORUM: node id ${BASH_REMATCH[1]} is listed twice"
        seen+="${BASH_REMATCH[1]},"
        [[ "${BASH_REMATCH[1]}" == "$NODE_ID" ]] && mine="$entry"
        voters=$((voters + 1))
    done
    [[ "$mine" == "$NODE_ID@$HOST:$CONTROLLER_PORT" ]] \
        || die "WIRESTREAM_KAFKA_QUORUM must list this node as $NODE_ID@$HOST:$CONTROLLER_PORT (WIRESTREAM_KAFKA_NODE_ID@HOST:CONTROLLER_PORT); it lists '${mine:-nothing}'"
    QUORUM_PROPERTY="controller.quorum.voters=$QUORUM"
    REPLICATION=$((voters < 3 ? voters : 3))
    MIN_ISR=$((REPLICATION > 1 ? REPLICATION - 1 : 1))
}

# The quorum a data dir is (to be) formatted for: the voter list, or "standalone". A data dir
# formatted before kafka.sh knew clusters has no stamp and is a standalone one.
quorum_label() {
    if cluster_node; then printf '%s' "$QUORUM"; else printf 'standalone'; fi
}

# A formatted data dir belongs to one cluster and one quorum: starting it with another cluster
# id or voter list would fail deep inside Kafka (or, worse, form a second cluster), so refuse.
check_storage() {
    if [[ -n "$CLUSTER_ID" && -s "$CLUSTER_ID_FILE" && "$(cat "$CLUSTER_ID_FILE")" != "$CLUSTER_ID" ]]; then
        die "$DATA_DIR belongs to cluster $(cat "$CLUSTER_ID_FILE"), not WIRESTREAM_KAFKA_CLUSTER_ID=$CLUSTER_ID; reset it to start over"
    fi
    [[ -f "$DATA_DIR/kraft/meta.properties" ]] || return 0
    local formatted
    formatted="$(cat "$QUORUM_STAMP" 2>/dev/null || printf 'standalone')"
    [[ "$formatted" == "$(quorum_label)" ]] \
        || die "$DATA_DIR was formatted for the quorum '$formatted', not '$(quorum_label)'; reset it to start over"
}

# --- start ------------------------------------------------------------------------------

render_config() {
    # Escape the replacement for sed (the data dir may contain / or &).
    local esc_dir
    esc_dir="$(printf '%s' "$DATA_DIR" | sed -e 's/[\/&|]/\\&/g')"
    # The rendered file may hold SASL passwords: readable by the owner only.
    rm -f "$CONFIG"
    (
        umask 077
        sed -e "s|@HOST@|$HOST|g" \
            -e "s|@PORT@|$PORT|g" \
            -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
            -e "s|@DATA_DIR@|$esc_dir|g" \
            -e "s|@NODE_ID@|$NODE_ID|g" \
            -e "s|@QUORUM@|$QUORUM_PROPERTY|g" \
            -e "s|@REPLICATION@|$REPLICATION|g" \
            -e "s|@MIN_ISR@|$MIN_ISR|g" \
            -e "s|@EXTRA_LISTENERS@|$(extra_entries listeners)|g" \
            -e "s|@EXTRA_PROTOCOLS@|$(extra_entries protocols)|g" \
            "$KAFKA_DIR/server.properties.in" >"$CONFIG"
        security_config >>"$CONFIG"
    )
}

format_storage() {
    # Formatting costs a JVM start, so only do it the first time; --ignore-formatted makes
    # it harmless anyway. The cluster id is kept so the storage always matches it.
    # A cluster node formats with the static voter list of its config (neither --standalone
    # nor --initial-controllers) and the cluster id every node shares.
    [[ -f "$DATA_DIR/kraft/meta.properties" ]] && return 0
    if [[ -n "$CLUSTER_ID" ]]; then
        printf '%s\n' "$CLUSTER_ID" >"$CLUSTER_ID_FILE"
    elif [[ ! -s "$CLUSTER_ID_FILE" ]]; then
        "${JAVA[@]}" kafka.tools.StorageTool random-uuid >"$CLUSTER_ID_FILE"
    fi
    local -a scram=() quorum=(--standalone)
    if sasl_enabled; then mapfile -t scram < <(scram_format_args); fi
    if cluster_node; then quorum=(); fi
    "${JAVA[@]}" kafka.tools.StorageTool format "${quorum[@]}" --ignore-formatted \
        -t "$(cat "$CLUSTER_ID_FILE")" -c "$CONFIG" "${scram[@]}" >/dev/null
    printf '%s\n' "$(quorum_label)" >"$QUORUM_STAMP"
    if sasl_enabled; then users_hash >"$SCRAM_STAMP"; else rm -f "$SCRAM_STAMP"; fi
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
    check_security
    check_node
    check_storage
    local p
    for p in $(all_ports); do
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
            if ! ensure_scram_users; then
                log "stopping the broker: its SASL users are not as configured"
                cmd_stop; exit 1
            fi
            local extra
            extra="$(extra_entries listeners)"
            log "started (${QUORUM:+node $NODE_ID, }pid $pid, $HOST:$PORT${extra:+ and ${extra#,}}, data $DATA_DIR) in $((SECONDS - t0))s"
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
