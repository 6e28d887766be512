#!/usr/bin/env bash
# Cold MTA-STS lookups, ours against the Python postfix-mta-sts-resolver, in one loopback world:
# unbound serves N test domains (TXT _mta-sts.<d>, A mta-sts.<d> -> 127.0.0.1), nginx serves their
# policies over HTTPS with certificates of a throw-away test CA. Each client asks for each domain
# once, so every lookup is a first one (TXT + A/AAAA + TCP + TLS + GET). Prints p50/p90 of both.
#
# BASE_JAR=path/to/older/benchmarks.jar adds that build's rows (same world, same run).
#
# Needs root (apt-get, nginx on 127.0.0.1:443, unbound on 127.0.0.1:53) and a built
# mtasts-bench/target/benchmarks.jar (./mvnw -B -pl mtasts-bench -am -DskipTests package).
#
# The world (why ports 53 and 443, the private resolv.conf) is lib-world.sh's.
set -euo pipefail

N=${N:-200}
ROUNDS=${ROUNDS:-10}  # our client's rounds over the N domains, each with nothing cached (JIT warm-up)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/mtasts-bench/target/benchmarks.jar
WORK=$(mktemp -d /tmp/cold-lookup.XXXXXX)
DAEMON_PORT=${DAEMON_PORT:-18461}
PIDS=()
# shellcheck source=lib-world.sh
source "$ROOT/scripts/bench/lib-world.sh"

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    world_cleanup
}
trap cleanup EXIT

[ -f "$JAR" ] || { echo "build $JAR first" >&2; exit 1; }
world_setup
world_start

echo "== Python daemon (mta-sts-daemon, private /etc/resolv.conf -> 127.0.0.1)"
world_python_config "$DAEMON_PORT" "$WORK/daemon.yml"
"${WORLD_NS[@]}" mta-sts-daemon -c "$WORK/daemon.yml" -v warn > "$WORK/daemon.log" 2>&1 & PIDS+=($!)

cat > "$WORK/socketmap.py" <<'PY'
# A tiny Postfix socketmap client (netstrings): one query per domain, timed, p50/p90 printed.
import socket, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1); break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("daemon not listening")
s.settimeout(30)
f = s.makefile("rb")
def ask(key):
    q = ("postfix " + key).encode()
    s.sendall(str(len(q)).encode() + b":" + q + b",")
    n = b""
    while (c := f.read(1)) != b":":
        n += c
    body = f.read(int(n)); f.read(1)
    return body.decode()
times = []
for d in open(path).read().split():
    t = time.perf_counter(); answer = ask(d); times.append((time.perf_counter() - t) * 1000)
    if not answer.startswith("OK secure"):
        sys.exit(f"{d}: unexpected answer {answer!r}")
first, rest = times[0], sorted(times[1:])
pct = lambda p: rest[max(0, min(len(rest) - 1, -(-p * len(rest) // 100) - 1))]
print(f"first {first:.2f}")
print(f"p50 {pct(50):.2f} p90 {pct(90):.2f} n {len(rest)} (after the first)")
PY
/usr/bin/python3 "$WORK/socketmap.py" "$DAEMON_PORT" "$WORK/domains.txt" > "$WORK/python.out"

echo "== ours (MtaSts.policyFor, fresh JVM)"
java -cp "$JAR" dev.mtasts.bench.ColdLookupMain 127.0.0.1:53 443 "$WORK/ca.pem" "$WORK/domains.txt" "$ROUNDS" \
    > "$WORK/java.out"
if [ -n "${BASE_JAR:-}" ]; then  # an older build, for a before/after comparison in the same world
    echo "== ours, $BASE_JAR"
    java -cp "$BASE_JAR" dev.mtasts.bench.ColdLookupMain 127.0.0.1:53 443 "$WORK/ca.pem" "$WORK/domains.txt" "$ROUNDS" \
        > "$WORK/base.out"
fi
grep -v " PolicyFound$" "$WORK/java.out" | grep -v "^first\|^p50\|^round1" && { echo "some lookups found no policy" >&2; exit 1; }

row() { # name file
    local first p50 p90
    first=$(awk '/^first/ {print $2}' "$2"); p50=$(awk '/^p50/ {print $2}' "$2"); p90=$(awk '/^p50/ {print $4}' "$2")
    printf '| %-34s | %9s | %9s | %12s |\n' "$1" "$p50" "$p90" "$first"
}
echo
echo "Cold lookups, $N domains each asked once, loopback unbound + nginx (ms)"
printf '| %-34s | %9s | %9s | %12s |\n' "client" "p50" "p90" "first lookup"
printf '|%s|%s|%s|%s|\n' "------------------------------------" "-----------" "-----------" "--------------"
row "postfix-mta-sts-resolver 1.1.2" "$WORK/python.out"
row "mtasts-java, round $ROUNDS (warm JIT)" "$WORK/java.out"
grep -E '^(first|round1)' "$WORK/java.out" | sed 's/^round1 //' > "$WORK/java-round1.out"
row "mtasts-java, round 1 (fresh JVM)" "$WORK/java-round1.out"
if [ -n "${BASE_JAR:-}" ]; then
    row "BASE_JAR, round $ROUNDS (warm JIT)" "$WORK/base.out"
    grep -E '^(first|round1)' "$WORK/base.out" | sed 's/^round1 //' > "$WORK/base-round1.out"
    row "BASE_JAR, round 1 (fresh JVM)" "$WORK/base-round1.out"
fi
echo "(every lookup cold: each round of ours has a new MtaSts, resolver and SSLContext; the daemon asks each domain once)"
