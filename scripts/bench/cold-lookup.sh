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
# Why port 53 and 443: the Python daemon always fetches https://mta-sts.<d>/ on port 443, and it
# resolves through the system resolver (aiodns/c-ares reading /etc/resolv.conf, no port setting).
# So unbound listens on 127.0.0.1:53 and the daemon runs in a private mount namespace whose
# /etc/resolv.conf names 127.0.0.1 (the machine's own resolv.conf is not touched). Our resolver is
# pointed at the same 127.0.0.1:53 explicitly.
set -euo pipefail

N=${N:-200}
ROUNDS=${ROUNDS:-10}  # our client's rounds over the N domains, each with nothing cached (JIT warm-up)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/mtasts-bench/target/benchmarks.jar
WORK=$(mktemp -d /tmp/cold-lookup.XXXXXX)
DAEMON_PORT=${DAEMON_PORT:-18461}
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

[ -f "$JAR" ] || { echo "build $JAR first" >&2; exit 1; }
if ! command -v unbound >/dev/null || ! command -v nginx >/dev/null || ! command -v mta-sts-daemon >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q unbound nginx postfix-mta-sts-resolver
fi

domain() { echo "d$1.bench.test"; }

echo "== test CA and $N certificates in $WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=cold-lookup test CA" \
    -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
mkdir -p "$WORK/certs" "$WORK/www"
chmod 755 "$WORK" "$WORK/www"  # nginx workers run as www-data
printf 'version: STSv1\r\nmode: enforce\r\nmx: mx.bench.test\r\nmax_age: 86400\r\n' > "$WORK/www/mta-sts.txt"
: > "$WORK/domains.txt"
{
    echo "worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log; daemon on;"
    echo "events { worker_connections 1024; }"
    echo "http { access_log off; default_type text/plain; types { text/plain txt; }"
} > "$WORK/nginx.conf"
{
    echo "server:"
    echo "  interface: 127.0.0.1"
    echo "  port: 53"
    echo "  do-ip6: no"
    echo "  access-control: 127.0.0.0/8 allow"
    echo "  username: \"\""
    echo "  chroot: \"\""
    echo "  directory: \"$WORK\""
    echo "  pidfile: \"$WORK/unbound.pid\""
    echo "  use-syslog: no"
    echo "  logfile: \"$WORK/unbound.log\""
    echo "  local-zone: \"bench.test.\" static"
} > "$WORK/unbound.conf"
for i in $(seq 0 $((N - 1))); do
    d=$(domain "$i")
    echo "$d" >> "$WORK/domains.txt"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=mta-sts.$d" \
        -keyout "$WORK/certs/$d.key" -out "$WORK/certs/$d.csr" 2>/dev/null
    openssl x509 -req -in "$WORK/certs/$d.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial \
        -days 2 -extfile <(echo "subjectAltName=DNS:mta-sts.$d") -out "$WORK/certs/$d.pem" 2>/dev/null
    cat >> "$WORK/nginx.conf" <<NGINX
server { listen 127.0.0.1:443 ssl; server_name mta-sts.$d;
  ssl_certificate $WORK/certs/$d.pem; ssl_certificate_key $WORK/certs/$d.key;
  location = /.well-known/mta-sts.txt { root $WORK/www; try_files /mta-sts.txt =404; } }
NGINX
    # single quotes outside: inside double quotes unbound cuts the TXT text at the first ';'
    echo "  local-data: '_mta-sts.$d. 300 IN TXT \"v=STSv1; id=1;\"'" >> "$WORK/unbound.conf"
    echo "  local-data: \"mta-sts.$d. 300 IN A 127.0.0.1\"" >> "$WORK/unbound.conf"
done
echo "}" >> "$WORK/nginx.conf"

echo "== starting unbound (127.0.0.1:53) and nginx (127.0.0.1:443)"
unbound-checkconf "$WORK/unbound.conf" >/dev/null
unbound -d -c "$WORK/unbound.conf" & PIDS+=($!)
nginx -c "$WORK/nginx.conf"
for _ in $(seq 50); do
    if dig +short +time=1 +tries=1 @127.0.0.1 -p 53 "mta-sts.$(domain 0)" A 2>/dev/null | grep -q 127.0.0.1 \
        || /usr/bin/python3 -c "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.settimeout(0.2);s.sendto(bytes.fromhex('12340100000100000000000007')+b'mta-sts'+bytes([2])+b'd0'+bytes([5])+b'bench'+bytes([4])+b'test'+bytes.fromhex('0000010001'),('127.0.0.1',53));s.recv(512)" 2>/dev/null; then
        break
    fi
    sleep 0.1
done

echo "== Python daemon (mta-sts-daemon, private /etc/resolv.conf -> 127.0.0.1)"
cat > "$WORK/daemon.yml" <<YML
host: 127.0.0.1
port: $DAEMON_PORT
reuse_port: true
shutdown_timeout: 1
cache:
  type: internal
  options:
    cache_size: 100000
default_zone:
  strict_testing: false
  timeout: 10
YML
echo "nameserver 127.0.0.1" > "$WORK/resolv.conf"
SSL_CERT_FILE=$WORK/ca.pem unshare --mount sh -c \
    "mount --bind '$WORK/resolv.conf' /etc/resolv.conf && exec mta-sts-daemon -c '$WORK/daemon.yml' -v warn" \
    > "$WORK/daemon.log" 2>&1 & PIDS+=($!)

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
