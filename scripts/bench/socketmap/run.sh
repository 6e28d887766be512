#!/usr/bin/env bash
# Postfix socketmap daemons side by side, in one loopback MTA-STS world (../lib-world.sh):
#   ours     the daemon of `java -jar mtasts-cli/target/mtasts.jar serve -c CONFIG`, started by
#            BenchDaemon.java from the same jar so that it may fetch from loopback policy hosts
#   python   postfix-mta-sts-resolver's mta-sts-daemon (Debian's package)
#   null     nullserver.c: frames netstrings and answers a fixed reply of a cached answer's size
# driven by loadgen.c. For each server, started fresh:
#   cold     every domain asked once over 50 connections (the caches fill; every answer must be OK)
#   cached   50 connections, one request in flight each (as Postfix asks), D seconds after a warm-up
#   pipe     50 connections x 8 requests in flight
#   lat      1 connection, one request at a time; and again with the client and every thread of
#            the server pinned to one core (lat1core): on a virtual machine a wake-up on another
#            core costs tens of microseconds, which would hide the server's own time
#   fail     10 connections asking for fail.bench.test, whose policy host answers 500, for D
#            seconds: nginx's access-log lines for it are the policy fetches the daemon made
# and prints one Markdown table with the machine line.
#
#   bash scripts/bench/socketmap/run.sh            # as root; about 5 minutes
# Settings: N (domains, 1000), D (seconds per timed run, 10), WARM (warm-up seconds, 5),
# SERVERS ("ours python null"), JAR (our runnable jar), JAVA_OPTS (for our daemon).
# SOAK=600: instead, 10 minutes of cached load on our daemon over 10 000 domains (N), with the heap
# after a full GC sampled every 30 s (jcmd GC.class_histogram) to show it stays flat.
#
# Nothing is pinned except the lat1core run: with 2 cores, pinning the client to one core and the
# server to the other was slower and far noisier than leaving both to the scheduler.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SOAK=${SOAK:-0}
if [ "$SOAK" -gt 0 ]; then N=${N:-10000}; else N=${N:-1000}; fi
D=${D:-10}
WARM=${WARM:-5}
CONNS=${CONNS:-50}
DEPTH=${DEPTH:-8}
SERVERS=${SERVERS:-ours python null}
[ "$SOAK" -gt 0 ] && SERVERS=ours
JAR=${JAR:-$ROOT/mtasts-cli/target/mtasts.jar}
JAVA_OPTS=${JAVA_OPTS:-}
WORK=$(mktemp -d /tmp/socketmap-bench.XXXXXX)
declare -A PORT=([null]=18470 [python]=18471 [ours]=18472)
declare -A TITLE=([ours]="mtasts-java (\`mtasts serve\`)" [python]="postfix-mta-sts-resolver" [null]="null server (C)")
SERVER_PID=
WORLD_CERT_GROUP=${WORLD_CERT_GROUP:-25}
# shellcheck source=../lib-world.sh
source "$ROOT/scripts/bench/lib-world.sh"

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    world_cleanup
}
trap cleanup EXIT

echo "== building loadgen and nullserver in $WORK/bin"
mkdir -p "$WORK/bin"
gcc -O2 -Wall -Wextra -o "$WORK/bin/loadgen" "$HERE/loadgen.c" -lpthread
gcc -O2 -Wall -Wextra -o "$WORK/bin/nullserver" "$HERE/nullserver.c" -lpthread
LOADGEN=$WORK/bin/loadgen

if [[ " $SERVERS " == *" ours "* ]]; then
    if [ ! -f "$JAR" ]; then
        echo "== building $JAR"
        (cd "$ROOT" && ./mvnw -B -q -o -pl mtasts-cli -am -DskipTests package)
    fi
    if ! java -jar "$JAR" serve --help >/dev/null 2>&1; then
        echo "!! $JAR has no working 'serve' command: leaving our daemon out" >&2
        SERVERS=${SERVERS//ours/}
    fi
fi

world_setup
world_start
echo "$WORLD_FAIL_DOMAIN" > "$WORK/fail.txt"
keytool -importcert -noprompt -storetype PKCS12 -alias bench-ca -file "$WORK/ca.pem" \
    -keystore "$WORK/trust.p12" -storepass changeit >/dev/null 2>&1

wait_port() { # port pid
    for _ in $(seq 300); do
        kill -0 "$2" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

start_server() { # name
    local name=$1 port=${PORT[$1]}
    # a forgotten server on the port would answer in place of (or beside) the one under test
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is already in use: stop what listens there first" >&2
        exit 1
    fi
    case $name in
        null) "$WORK/bin/nullserver" -p "$port" > "$WORK/null.log" 2>&1 & ;;
        python)
            world_python_config "$port" "$WORK/python.yml"
            "${WORLD_NS[@]}" mta-sts-daemon -c "$WORK/python.yml" -v warn > "$WORK/python.log" 2>&1 & ;;
        ours)
            # the Python daemon's file as it is, on our port (the drop-in promise), plus our own
            # DNS server key; it runs in the same namespace all the same
            world_python_config "$port" "$WORK/ours.yml"
            printf 'dns:\n  server: 127.0.0.1:53\n' >> "$WORK/ours.yml"
            # BenchDaemon.java is `serve -c ours.yml -v warn` with a fetcher that allows the
            # world's loopback policy hosts (the daemon refuses them, STS-HTTP-11)
            # shellcheck disable=SC2086
            "${WORLD_NS[@]}" java $JAVA_OPTS -Djavax.net.ssl.trustStore="$WORK/trust.p12" \
                -Djavax.net.ssl.trustStorePassword=changeit -cp "$JAR" "$HERE/BenchDaemon.java" "$WORK/ours.yml" \
                > "$WORK/ours.log" 2>&1 & ;;
    esac
    SERVER_PID=$!
    wait_port "$port" "$SERVER_PID" || { echo "$name did not start; its log:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# load NAME RUN LOADGEN-ARGS... : one loadgen run; its RESULT line goes to $WORK/results.txt
load() {
    local name=$1 run=$2 line rc=0
    shift 2
    line=$("$LOADGEN" -p "${PORT[$name]}" "$@" 2> "$WORK/$name-$run.err") || rc=$?
    [ "$rc" -eq 0 ] || { echo "!! $name $run: loadgen exit $rc" >&2; tail -3 "$WORK/$name-$run.err" >&2; }
    echo "$name $run rc=$rc ${line#RESULT }" >> "$WORK/results.txt"
    echo "   $run: ${line#RESULT }"
}

fail_fetches() { [ -f "$WORK/fail-access.log" ] && wc -l < "$WORK/fail-access.log" || echo 0; }

bench_server() { # name
    local name=$1 before after
    echo "== $name"
    start_server "$name"
    load "$name" cold -k "$WORK/domains.txt" -c "$CONNS" -1 -x "OK secure" -T 60
    load "$name" cached -k "$WORK/domains.txt" -c "$CONNS" -w "$WARM" -d "$D" -T 10
    load "$name" pipe -k "$WORK/domains.txt" -c "$CONNS" -P "$DEPTH" -w 1 -d "$D" -T 10
    load "$name" lat -k "$WORK/domains.txt" -c 1 -w 1 -d "$D" -T 10
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        taskset -a -p -c 0 "$SERVER_PID" >/dev/null
        load_pinned "$name"
        taskset -a -p -c "0-$(($(nproc) - 1))" "$SERVER_PID" >/dev/null || true
    fi
    if [ "$name" != null ]; then
        before=$(fail_fetches)
        load "$name" fail -k "$WORK/fail.txt" -c 10 -w 0 -d "$D" -T 30
        after=$(fail_fetches)
        echo "$name failfetches $((after - before))" >> "$WORK/results.txt"
        echo "   policy fetches for $WORLD_FAIL_DOMAIN: $((after - before))"
    fi
    stop_server
}

load_pinned() { # name: the latency run with the client on core 0, where the server now is
    local name=$1 line rc=0
    line=$(taskset -c 0 "$LOADGEN" -p "${PORT[$name]}" -k "$WORK/domains.txt" -c 1 -w 1 -d "$D" -T 10 \
        2> "$WORK/$name-lat1core.err") || rc=$?
    echo "$name lat1core rc=$rc ${line#RESULT }" >> "$WORK/results.txt"
    echo "   lat1core: ${line#RESULT }"
}

soak() {
    echo "== soak: our daemon, $N domains, ${SOAK}s of $CONNS-connection load, heap after full GC every 30 s"
    start_server ours
    load ours cold -k "$WORK/domains.txt" -c "$CONNS" -1 -x "OK secure" -T 60
    "$LOADGEN" -p "${PORT[ours]}" -k "$WORK/domains.txt" -c "$CONNS" -d "$SOAK" -T 10 \
        > "$WORK/soak.result" 2> "$WORK/soak.err" &
    local lg=$! t=0
    echo "| seconds | live heap after full GC (MiB) |"
    echo "|---|---|"
    while kill -0 "$lg" 2>/dev/null; do
        bytes=$(jcmd "$SERVER_PID" GC.class_histogram 2>/dev/null | awk '/^Total/ {print $3}')
        printf '| %d | %.1f |\n' "$t" "$(echo "${bytes:-0} / 1048576" | bc -l)"
        sleep 30
        t=$((t + 30))
    done
    wait "$lg" || true
    echo "load: $(cat "$WORK/soak.result")"
    stop_server
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$SOAK" -gt 0 ]; then
    soak
    exit 0
fi
for s in $SERVERS; do bench_server "$s"; done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# the table: one row per run, one column per server
field() { # name run key
    awk -v n="$1" -v r="$2" -v k="$3" '$1 == n && $2 == r { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$WORK/results.txt"
}
num() { # number: integers grouped by thousands, small values with one decimal
    awk -v v="$1" 'BEGIN { if (v < 10 && v != int(v)) { printf "%.1f", v; exit }
        s = sprintf("%d", v + 0.5); out = ""
        while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
        printf "%s%s", s, out }'
}
cell() { # name run
    local q bad
    q=$(field "$1" "$2" qps)
    [ -n "$q" ] || { printf '—'; return; }
    printf '%s q/s; %s / %s / %s' "$(num "$q")" "$(num "$(field "$1" "$2" p50_us)")" \
        "$(num "$(field "$1" "$2" p99_us)")" "$(num "$(field "$1" "$2" p999_us)")"
    bad=$(( $(field "$1" "$2" errors) + $(field "$1" "$2" lost) + $(field "$1" "$2" unexpected) ))
    [ "$bad" -eq 0 ] || printf ' (%d errors)' "$bad"
}
failcell() { # name
    local f
    f=$(awk -v n="$1" '$1 == n && $2 == "failfetches" {print $3}' "$WORK/results.txt")
    [ -n "$f" ] || { printf '—'; return; }
    [ "$f" -eq 1 ] && printf '1 fetch' || printf '%s fetches' "$(num "$f")"
    printf ' for %s queries' "$(num "$(field "$1" fail n)")"
}
PY_VERSION=$(dpkg-query -W -f '${Version}' postfix-mta-sts-resolver 2>/dev/null || echo '?')
TITLE[python]="postfix-mta-sts-resolver ${PY_VERSION%%-*}"
{
    printf '| run (q/s; p50 / p99 / p99.9 µs) |'
    for s in $SERVERS; do printf ' %s |' "${TITLE[$s]}"; done
    printf '\n|---|'
    for _ in $SERVERS; do printf -- '---|'; done
    printf '\n'
    row() { # label run
        printf '| %s |' "$1"
        for s in $SERVERS; do printf ' %s |' "$(cell "$s" "$2")"; done
        printf '\n'
    }
    row "cold cache: $N domains each asked once, $CONNS connections" cold
    row "cached, $CONNS connections, 1 in flight each" cached
    row "cached, $CONNS connections × $DEPTH pipelined" pipe
    row "cached, 1 connection" lat
    row "cached, 1 connection, client and server on one core" lat1core
    printf '| failing policy host (500), 10 connections, %d s |' "$D"
    for s in $SERVERS; do printf ' %s |' "$(failcell "$s")"; done
    printf '\n\n'
    echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -1)," \
        "kernel $(uname -r); load average before $LOAD_BEFORE, after $LOAD_AFTER; N=$N, D=${D}s, warm-up ${WARM}s."
} > "$WORK/table.md"
echo
cat "$WORK/table.md"
echo
echo "(raw results: $WORK/results.txt)"
