/*
 * loadgen: a load client for Postfix socketmap servers (netstrings, PF-NET-1).
 *
 *   loadgen -p PORT -k KEYFILE [-a ADDR] [-m NAME] [-c CONNS] [-P DEPTH] [-d SECONDS] [-w SECONDS]
 *           [-1] [-x PREFIX] [-T TIMEOUT] [-t THREADS]
 *
 * Each of CONNS persistent connections keeps DEPTH requests in flight (`NAME key`, keys taken from
 * KEYFILE, one per line, in turn). DEPTH 1 is a closed loop, as Postfix's smtp processes ask
 * (PF-NET-6: one outstanding request per connection); DEPTH > 1 pipelines. `-c 1 -P 1` measures
 * the latency of one request at a time.
 *
 * Timed mode (default): warm up for -w seconds (nothing recorded), then measure for -d seconds.
 * Once mode (-1): every key is asked exactly once, spread over the connections; it ends when all
 * are answered. With -x PREFIX every reply payload must start with PREFIX (exit status 3 if not).
 *
 * Every reply must be a well-formed netstring; its payload is counted as OK / NOTFOUND / TEMP
 * (TEMP and TIMEOUT) / PERM / other. A malformed reply, a closed connection, or a reply slower
 * than -T seconds is an error and ends that connection. Latency is from writing a request to
 * reading its reply (CLOCK_MONOTONIC), kept in a log-linear histogram (at most 1/64 relative
 * error, as HdrHistogram with two significant digits).
 *
 * Prints a summary to stderr and one line `RESULT key=value ...` to stdout.
 *
 * Build: gcc -O2 -Wall -Wextra -o loadgen loadgen.c -lpthread
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 1024
#define MAX_REPLY 100000              /* PF-NET-5: Postfix refuses longer replies */
#define IN_CAP (MAX_REPLY + 16)
#define OUT_CAP (MAX_DEPTH * 300)      /* DEPTH requests of a 255-byte name, framed */
#define SUB_BITS 7                     /* 128 sub-buckets per power of two ... */
#define SUB_COUNT (1 << SUB_BITS)
#define HALF_COUNT (SUB_COUNT / 2)     /* ... of which the upper half is used above 127 ns */
#define BUCKETS (SUB_COUNT + 48 * HALF_COUNT)

enum { K_OK, K_NOTFOUND, K_TEMP, K_PERM, K_OTHER, K_KINDS };
static const char *kind_names[K_KINDS] = {"ok", "notfound", "temp", "perm", "other"};

struct stats {
    uint64_t hist[BUCKETS];
    uint64_t count, kinds[K_KINDS], unexpected, errors, lost, max_ns;
};

struct conn {
    int fd, dead;
    struct worker *w;
    uint64_t sent_ns[MAX_DEPTH];  /* ring of send times of requests in flight, oldest at head */
    int head, inflight;
    size_t out_off, out_len, in_len;
    char out[OUT_CAP];
    char in[IN_CAP];
};

struct worker {
    int index, nconns, live;
    struct conn **conns;
    size_t next_key;              /* timed: cursor over all keys; once: this worker's share */
    struct stats st;
    pthread_t tid;
};

static const char *addr = "127.0.0.1", *map_name = "postfix", *expect;
static int port, nconns = 50, depth = 1, nthreads = 1, once;
static double duration = 10, warmup = 0, timeout_s = 30;
static char **keys;
static size_t nkeys;
static uint64_t measure_from, measure_until;  /* CLOCK_MONOTONIC ns */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int bucket_of(uint64_t v) {
    if (v < SUB_COUNT) return (int)v;
    int shift = 63 - __builtin_clzll(v) - (SUB_BITS - 1);  /* v >> shift lands in [64, 127] */
    int b = SUB_COUNT + (shift - 1) * HALF_COUNT + (int)((v >> shift) - HALF_COUNT);
    return b < BUCKETS ? b : BUCKETS - 1;
}

/* The highest value that falls into bucket b, as HdrHistogram reports percentiles. */
static uint64_t bucket_top(int b) {
    if (b < SUB_COUNT) return (uint64_t)b;
    int shift = (b - SUB_COUNT) / HALF_COUNT + 1;
    uint64_t m = (uint64_t)((b - SUB_COUNT) % HALF_COUNT + HALF_COUNT);
    return ((m + 1) << shift) - 1;
}

static double percentile_us(const struct stats *s, double p) {
    if (s->count == 0) return 0;
    uint64_t rank = (uint64_t)(p / 100.0 * (double)s->count + 0.999999), seen = 0;
    if (rank < 1) rank = 1;
    for (int b = 0; b < BUCKETS; b++) {
        seen += s->hist[b];
        if (seen >= rank) {
            uint64_t v = bucket_top(b);
            return (double)(v < s->max_ns ? v : s->max_ns) / 1000.0;
        }
    }
    return (double)s->max_ns / 1000.0;
}

static void load_keys(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    char line[1024];
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == 0) continue;
        if (strlen(line) > 255) {
            fprintf(stderr, "%s: key longer than 255 bytes\n", path);
            exit(2);
        }
        if (nkeys == cap) {
            cap = cap ? cap * 2 : 1024;
            keys = realloc(keys, cap * sizeof *keys);
            if (keys == NULL) exit(1);
        }
        keys[nkeys++] = strdup(line);
    }
    fclose(f);
    if (nkeys == 0) {
        fprintf(stderr, "%s: no keys\n", path);
        exit(2);
    }
}

/* The next key for this worker, or NULL in once mode when its share is used up. */
static const char *next_key(struct worker *w) {
    if (!once) return keys[w->next_key++ % nkeys];
    if (w->next_key >= nkeys) return NULL;
    const char *k = keys[w->next_key];
    w->next_key += (size_t)nthreads;  /* worker i asks keys i, i+T, i+2T, ... */
    return k;
}

static void kill_conn(int ep, struct conn *c, const char *why) {
    if (c->dead) return;
    if (why != NULL) {
        c->w->st.errors++;
        c->w->st.lost += (uint64_t)c->inflight;
        fprintf(stderr, "loadgen: connection %d: %s (%d in flight)\n", c->fd, why, c->inflight);
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->dead = 1;
    c->w->live--;
}

static int set_events(int ep, struct conn *c) {
    struct epoll_event ev = {.events = EPOLLIN | (c->out_off < c->out_len ? EPOLLOUT : 0), .data.ptr = c};
    return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Tops the connection up to DEPTH requests in flight and writes what the socket takes. */
static int send_more(int ep, struct conn *c, uint64_t now) {
    int had_pending = c->out_off < c->out_len;
    if (once || now < measure_until) {
        if (c->out_off == c->out_len) c->out_off = c->out_len = 0;
        while (c->inflight < depth && c->out_len + 300 <= OUT_CAP) {
            const char *k = next_key(c->w);
            if (k == NULL) break;
            size_t plen = strlen(map_name) + 1 + strlen(k);
            c->out_len += (size_t)sprintf(c->out + c->out_len, "%zu:%s %s,", plen, map_name, k);
            c->sent_ns[(c->head + c->inflight) % MAX_DEPTH] = now;
            c->inflight++;
        }
    }
    while (c->out_off < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n < 0) {
            if (errno == EAGAIN) break;
            if (errno == EINTR) continue;
            return -1;
        }
        c->out_off += (size_t)n;
    }
    int pending = c->out_off < c->out_len;
    if (pending != had_pending && set_events(ep, c) < 0) return -1;
    return 0;
}

static int classify(const char *p, size_t n) {
    if (n >= 2 && memcmp(p, "OK", 2) == 0 && (n == 2 || p[2] == ' ')) return K_OK;
    if (n >= 8 && memcmp(p, "NOTFOUND", 8) == 0 && (n == 8 || p[8] == ' ')) return K_NOTFOUND;
    if (n >= 4 && memcmp(p, "TEMP", 4) == 0 && (n == 4 || p[4] == ' ')) return K_TEMP;
    if (n >= 7 && memcmp(p, "TIMEOUT", 7) == 0 && (n == 7 || p[7] == ' ')) return K_TEMP;
    if (n >= 4 && memcmp(p, "PERM", 4) == 0 && (n == 4 || p[4] == ' ')) return K_PERM;
    return K_OTHER;
}

static void record(struct stats *s, uint64_t sent, uint64_t now, int kind, const char *p, size_t n) {
    if (!once && (sent < measure_from || now > measure_until)) return;  /* warm-up, or too late */
    uint64_t v = now - sent;
    s->hist[bucket_of(v)]++;
    s->count++;
    if (v > s->max_ns) s->max_ns = v;
    s->kinds[kind]++;
    if (expect != NULL && (n < strlen(expect) || memcmp(p, expect, strlen(expect)) != 0)) {
        if (s->unexpected++ < 5) fprintf(stderr, "loadgen: unexpected reply %.*s\n", (int)(n > 200 ? 200 : n), p);
    }
}

/* Reads replies; returns an error text, or NULL. */
static const char *on_readable(struct conn *c) {
    ssize_t n = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
    if (n == 0) return "closed by the server";
    if (n < 0) return (errno == EAGAIN || errno == EINTR) ? NULL : strerror(errno);
    uint64_t now = now_ns();
    c->in_len += (size_t)n;
    size_t pos = 0;
    while (pos < c->in_len) {
        const char *p = c->in + pos;
        size_t avail = c->in_len - pos, i = 0, len = 0;
        while (i < avail && p[i] >= '0' && p[i] <= '9') {
            if (i == 1 && p[0] == '0') return "malformed reply: leading zero";
            len = len * 10 + (size_t)(p[i] - '0');
            if (len > MAX_REPLY) return "malformed reply: longer than 100000 bytes";
            i++;
        }
        if (i == avail) break;
        if (i == 0 || p[i] != ':') return "malformed reply: no length";
        if (avail < i + len + 2) break;
        if (p[i + 1 + len] != ',') return "malformed reply: no ','";
        if (c->inflight == 0) return "a reply nobody asked for";
        record(&c->w->st, c->sent_ns[c->head], now, classify(p + i + 1, len), p + i + 1, len);
        c->head = (c->head + 1) % MAX_DEPTH;
        c->inflight--;
        pos += i + len + 2;
    }
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
    return NULL;
}

static int connect_one(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, addr, &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void *run_worker(void *arg) {
    struct worker *w = arg;
    int ep = epoll_create1(0);
    if (ep < 0) {
        perror("epoll_create1");
        exit(1);
    }
    uint64_t start = now_ns();
    for (int i = 0; i < w->nconns; i++) {
        struct conn *c = w->conns[i];
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
        if (send_more(ep, c, start) < 0) kill_conn(ep, c, "write failed");
    }
    struct epoll_event events[256];
    uint64_t timeout_ns = (uint64_t)(timeout_s * 1e9);
    for (;;) {
        uint64_t now = now_ns();
        if (w->live == 0 || (!once && now >= measure_until)) break;
        if (once) {
            int busy = 0;
            for (int i = 0; i < w->nconns; i++) busy |= !w->conns[i]->dead && w->conns[i]->inflight > 0;
            if (!busy) break;
        }
        int wait_ms = 100;
        if (!once && (measure_until - now) / 1000000 < 100) wait_ms = (int)((measure_until - now) / 1000000) + 1;
        int n = epoll_wait(ep, events, 256, wait_ms);
        if (n < 0 && errno != EINTR) {
            perror("epoll_wait");
            exit(1);
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->dead) continue;
            const char *err = NULL;
            if (events[i].events & EPOLLIN) err = on_readable(c);
            if (err == NULL && (events[i].events & (EPOLLERR | EPOLLHUP)) && !(events[i].events & EPOLLIN))
                err = "socket error";
            if (err == NULL && send_more(ep, c, now_ns()) < 0) err = "write failed";
            if (err != NULL) kill_conn(ep, c, err);
        }
        now = now_ns();
        for (int i = 0; i < w->nconns; i++) {
            struct conn *c = w->conns[i];
            if (!c->dead && c->inflight > 0 && now - c->sent_ns[c->head] > timeout_ns)
                kill_conn(ep, c, "reply timed out");
        }
    }
    for (int i = 0; i < w->nconns; i++) kill_conn(ep, w->conns[i], NULL);
    close(ep);
    return NULL;
}

static void usage(const char *me) {
    fprintf(stderr,
            "usage: %s -p PORT -k KEYFILE [-a ADDR] [-m NAME] [-c CONNS] [-P DEPTH] [-d SECONDS]\n"
            "          [-w SECONDS] [-1] [-x PREFIX] [-T TIMEOUT] [-t THREADS]\n", me);
    exit(2);
}

int main(int argc, char **argv) {
    const char *keyfile = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "a:p:k:m:c:P:d:w:1x:T:t:")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'k': keyfile = optarg; break;
        case 'm': map_name = optarg; break;
        case 'c': nconns = atoi(optarg); break;
        case 'P': depth = atoi(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'w': warmup = atof(optarg); break;
        case '1': once = 1; break;
        case 'x': expect = optarg; break;
        case 'T': timeout_s = atof(optarg); break;
        case 't': nthreads = atoi(optarg); break;
        default: usage(argv[0]);
        }
    }
    if (port <= 0 || keyfile == NULL || nconns < 1 || depth < 1 || depth > MAX_DEPTH || nthreads < 1
        || duration <= 0 || warmup < 0)
        usage(argv[0]);
    if (nthreads > nconns) nthreads = nconns;
    signal(SIGPIPE, SIG_IGN);
    load_keys(keyfile);

    struct worker *workers = calloc((size_t)nthreads, sizeof *workers);
    struct conn **all = calloc((size_t)nconns, sizeof *all);
    for (int t = 0; t < nthreads; t++) {
        workers[t].index = t;
        workers[t].next_key = once ? (size_t)t : (size_t)t * nkeys / (size_t)nthreads;
        workers[t].conns = calloc((size_t)nconns, sizeof(struct conn *));
    }
    for (int i = 0; i < nconns; i++) {
        struct conn *c = calloc(1, sizeof *c);
        if (c == NULL) return 1;
        c->fd = connect_one();
        if (c->fd < 0) {
            fprintf(stderr, "loadgen: cannot connect to %s:%d: %s\n", addr, port, strerror(errno));
            return 1;
        }
        fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
        struct worker *w = &workers[i % nthreads];
        c->w = w;
        w->conns[w->nconns++] = c;
        w->live++;
        all[i] = c;
    }
    uint64_t start = now_ns();
    measure_from = start + (uint64_t)(warmup * 1e9);
    measure_until = measure_from + (uint64_t)(duration * 1e9);
    for (int t = 0; t < nthreads; t++) pthread_create(&workers[t].tid, NULL, run_worker, &workers[t]);
    for (int t = 0; t < nthreads; t++) pthread_join(workers[t].tid, NULL);
    uint64_t end = now_ns();

    struct stats total = {0};
    for (int t = 0; t < nthreads; t++) {
        struct stats *s = &workers[t].st;
        for (int b = 0; b < BUCKETS; b++) total.hist[b] += s->hist[b];
        total.count += s->count;
        for (int k = 0; k < K_KINDS; k++) total.kinds[k] += s->kinds[k];
        total.unexpected += s->unexpected;
        total.errors += s->errors;
        total.lost += s->lost;
        if (s->max_ns > total.max_ns) total.max_ns = s->max_ns;
    }
    double elapsed = once ? (double)(end - start) / 1e9 : duration;
    if (once) total.lost += nkeys - total.count - total.lost;  /* keys of connections that died */
    printf("RESULT qps=%.0f n=%llu p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f", (double)total.count / elapsed,
           (unsigned long long)total.count, percentile_us(&total, 50), percentile_us(&total, 99),
           percentile_us(&total, 99.9), (double)total.max_ns / 1000.0);
    for (int k = 0; k < K_KINDS; k++) printf(" %s=%llu", kind_names[k], (unsigned long long)total.kinds[k]);
    printf(" unexpected=%llu errors=%llu lost=%llu elapsed_s=%.3f\n", (unsigned long long)total.unexpected,
           (unsigned long long)total.errors, (unsigned long long)total.lost, elapsed);
    fprintf(stderr, "%s:%d %d conn x %d deep, %s, %d thread(s): %.0f q/s, p50 %.1f us, p99 %.1f us, p99.9 %.1f us\n",
            addr, port, nconns, depth, once ? "each key once" : "timed", nthreads, (double)total.count / elapsed,
            percentile_us(&total, 50), percentile_us(&total, 99), percentile_us(&total, 99.9));
    free(all);
    if (total.errors > 0 || total.lost > 0) return 4;
    return total.unexpected > 0 ? 3 : 0;
}
