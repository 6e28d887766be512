# shellcheck shell=bash
# The loopback MTA-STS world the benchmark scripts share (sourced, not run):
#   unbound on 127.0.0.1:53 serves N test domains d0.bench.test ... (TXT _mta-sts.<d>, A
#   mta-sts.<d> -> 127.0.0.1); nginx on 127.0.0.1:443 serves their policy (enforce, mx
#   mx.bench.test) over HTTPS with certificates of a throw-away test CA.
# One more domain, fail.bench.test, has a TXT record but its policy host answers 500; nginx logs
# each of its requests to $WORK/fail-access.log (the only access log kept).
#
# Why port 53 and 443: the Python daemon always fetches https://mta-sts.<d>/ on port 443, and it
# resolves through the system resolver (aiodns/c-ares reading /etc/resolv.conf, no port setting).
# So unbound listens on 127.0.0.1:53 and daemons run in a private mount namespace whose
# /etc/resolv.conf names 127.0.0.1 (WORLD_NS); the machine's own resolv.conf is not touched.
#
# Use:
#   source scripts/bench/lib-world.sh
#   WORK=$(mktemp -d ...); N=200
#   world_setup        # CA, certificates, nginx and unbound configuration; $WORK/domains.txt
#   world_start        # starts unbound and nginx, waits until DNS answers
#   "${WORLD_NS[@]}" CMD... # CMD with /etc/resolv.conf -> 127.0.0.1, SSL_CERT_FILE -> the test CA
#   trap world_cleanup EXIT   # kills what world_start and the caller put into WORLD_PIDS
#
# Settings: N (domains), WORK (a fresh directory), WORLD_CERT_GROUP (domains per certificate and
# nginx server block, default 1: every policy host has its own certificate; large N wants more so
# that nginx does not hold thousands of TLS contexts). Needs root.

WORLD_PIDS=()
WORLD_CERT_GROUP=${WORLD_CERT_GROUP:-1}
WORLD_FAIL_DOMAIN=fail.bench.test

world_domain() { echo "d$1.bench.test"; }

world_install() {
    if ! command -v unbound >/dev/null || ! command -v nginx >/dev/null || ! command -v mta-sts-daemon >/dev/null; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q unbound nginx postfix-mta-sts-resolver
    fi
}

# world_cert NAME HOST... : one certificate for the given policy hosts, signed by the test CA. All
# certificates share one key: signing is what the world needs per host, not key generation.
world_cert() {
    local name=$1 san
    shift
    san=$(printf 'DNS:%s,' "$@")
    openssl req -x509 -key "$WORK/certs/host.key" -subj "/CN=$1" -addext "subjectAltName=${san%,}" \
        -addext "basicConstraints=critical,CA:FALSE" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -days 2 \
        -out "$WORK/certs/$name.pem" 2>/dev/null
}

# world_server NAME LOCATION HOST... : an nginx server block for the hosts with certificate NAME
world_server() {
    local name=$1 location=$2
    shift 2
    cat >> "$WORK/nginx.conf" <<NGINX
server { listen 127.0.0.1:443 ssl; server_name $*;
  ssl_certificate $WORK/certs/$name.pem; ssl_certificate_key $WORK/certs/host.key;
  $location }
NGINX
}

world_dns() { # domain
    # single quotes outside: inside double quotes unbound cuts the TXT text at the first ';'
    echo "  local-data: '_mta-sts.$1. 300 IN TXT \"v=STSv1; id=1;\"'" >> "$WORK/unbound.conf"
    echo "  local-data: \"mta-sts.$1. 300 IN A 127.0.0.1\"" >> "$WORK/unbound.conf"
}

world_setup() {
    world_install
    echo "== test CA and certificates for $N domains in $WORK"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench test CA" \
        -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
    mkdir -p "$WORK/certs" "$WORK/www"
    chmod 755 "$WORK" "$WORK/www"  # nginx workers run as www-data
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/certs/host.key" 2>/dev/null
    chmod 644 "$WORK/certs/host.key"
    printf 'version: STSv1\r\nmode: enforce\r\nmx: mx.bench.test\r\nmax_age: 86400\r\n' > "$WORK/www/mta-sts.txt"
    : > "$WORK/domains.txt"
    {
        echo "worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log; daemon on;"
        echo "events { worker_connections 4096; }"
        echo "http { access_log off; default_type text/plain; types { text/plain txt; }"
        echo "  server_names_hash_max_size 65536; server_names_hash_bucket_size 128;"
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
    local policy="location = /.well-known/mta-sts.txt { root $WORK/www; try_files /mta-sts.txt =404; }"
    local i d hosts=()
    for i in $(seq 0 $((N - 1))); do
        d=$(world_domain "$i")
        echo "$d" >> "$WORK/domains.txt"
        world_dns "$d"
        hosts+=("mta-sts.$d")
        if [ "${#hosts[@]}" -ge "$WORLD_CERT_GROUP" ] || [ "$i" -eq $((N - 1)) ]; then
            world_cert "g$i" "${hosts[@]}"
            world_server "g$i" "$policy" "${hosts[@]}"
            hosts=()
        fi
    done
    world_dns "$WORLD_FAIL_DOMAIN"
    world_cert fail "mta-sts.$WORLD_FAIL_DOMAIN"
    world_server fail "access_log $WORK/fail-access.log; location / { return 500; }" "mta-sts.$WORLD_FAIL_DOMAIN"
    echo "}" >> "$WORK/nginx.conf"
    echo "nameserver 127.0.0.1" > "$WORK/resolv.conf"
    world_ns_init
}

world_start() {
    echo "== starting unbound (127.0.0.1:53) and nginx (127.0.0.1:443)"
    unbound-checkconf "$WORK/unbound.conf" >/dev/null
    unbound -d -c "$WORK/unbound.conf" & WORLD_PIDS+=($!)
    nginx -c "$WORK/nginx.conf"
    local name
    name="mta-sts.$(world_domain 0)"
    for _ in $(seq 50); do
        if dig +short +time=1 +tries=1 @127.0.0.1 -p 53 "$name" A 2>/dev/null | grep -q 127.0.0.1 \
            || /usr/bin/python3 -c "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.settimeout(0.2);s.sendto(bytes.fromhex('12340100000100000000000007')+b'mta-sts'+bytes([2])+b'd0'+bytes([5])+b'bench'+bytes([4])+b'test'+bytes.fromhex('0000010001'),('127.0.0.1',53));s.recv(512)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "unbound does not answer on 127.0.0.1:53" >&2
    return 1
}

# "${WORLD_NS[@]}" CMD... : CMD in a private mount namespace whose /etc/resolv.conf names
# 127.0.0.1, trusting the test CA through SSL_CERT_FILE (OpenSSL-based clients such as the Python
# daemon). An array, not a function: every step execs the next, so `$!` of a background
# "${WORLD_NS[@]}" CMD & is CMD's own process id.
world_ns_init() {
    WORLD_NS=(env "SSL_CERT_FILE=$WORK/ca.pem" unshare --mount sh -c \
        "mount --bind '$WORK/resolv.conf' /etc/resolv.conf && exec \"\$@\"" sh)
}

# world_python_config PORT FILE : postfix-mta-sts-resolver's configuration for this world
world_python_config() {
    cat > "$2" <<YML
host: 127.0.0.1
port: $1
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
}

world_cleanup() {
    local pid
    for pid in "${WORLD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
}
