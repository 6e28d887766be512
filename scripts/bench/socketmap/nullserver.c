/*
 * nullserver: a socketmap server that does nothing but frame. It reads netstring requests
 * (`<len>:<payload>,`, see PF-NET-1) and answers each one with the same fixed reply, so it is the
 * ceiling any real daemon can reach on this machine with this load client: the cost of the kernel's
 * loopback TCP and of netstring framing, and nothing else.
 *
 *   nullserver [-a ADDR] [-p PORT] [-t THREADS] [-r REPLY]
 *
 * Defaults: 127.0.0.1:18470, one thread, reply "OK secure match=mx.bench.test servername=hostname"
 * (the size of a cached answer in the benchmark's world). With -t N each thread has its own
 * listening socket (SO_REUSEPORT) and its own epoll set, so threads share nothing.
 *
 * Level-triggered epoll. A connection's requests are answered in order; several requests in one
 * read and frames split across reads are both handled. Framing is as strict as PF-NET-2 (digits
 * without a leading zero, ':', exactly len bytes, ','; len <= 1024); anything else closes the
 * connection without a reply. While a connection's replies cannot be written out the server stops
 * reading from it, so a client that does not read cannot make it buffer without bound.
 *
 * Build: gcc -O2 -Wall -Wextra -o nullserver nullserver.c -lpthread
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_REQUEST 1024           /* PF-NET-7: the largest request payload we accept */
#define IN_CAP (MAX_REQUEST + 16)  /* one whole frame, digits and punctuation included */
#define OUT_CAP 65536              /* replies not yet written; reading pauses when it is nearly full */
#define MAX_EVENTS 256

struct conn {
    int fd;
    size_t in_len;        /* bytes in `in` not yet consumed */
    size_t out_off, out_len;
    int want_out;         /* EPOLLOUT registered: reading is paused until `out` drains */
    char in[IN_CAP];
    char out[OUT_CAP];
};

static const char *addr = "127.0.0.1";
static int port = 18470;
static char reply[MAX_REQUEST + 16];  /* the whole netstring, ready to copy */
static size_t reply_len;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int threads = 1;

static int listen_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* only where our own threads share the port: a forgotten server on it must make bind fail */
    if (threads > 1) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "bad address %s\n", addr);
        exit(2);
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind");
    if (listen(fd, 4096) < 0) die("listen");
    return fd;
}

static void close_conn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

/*
 * Consumes every whole frame in c->in, queueing one reply per frame. Returns -1 on a framing error,
 * else 0 (a partial frame stays at the front of the buffer for the next read).
 */
static int parse(struct conn *c) {
    size_t pos = 0;
    while (pos < c->in_len) {
        if (c->out_len + reply_len > OUT_CAP) break;  /* no room: keep the rest for later */
        const char *p = c->in + pos;
        size_t avail = c->in_len - pos, i = 0, len = 0;
        while (i < avail && p[i] >= '0' && p[i] <= '9') {
            if (i == 1 && p[0] == '0') return -1;  /* leading zero */
            len = len * 10 + (size_t)(p[i] - '0');
            if (len > MAX_REQUEST) return -1;
            i++;
        }
        if (i == avail) break;                        /* the length is still arriving */
        if (i == 0 || p[i] != ':') return -1;
        size_t frame = i + 1 + len + 1;
        if (avail < frame) break;                     /* the payload is still arriving */
        if (p[frame - 1] != ',') return -1;
        memcpy(c->out + c->out_len, reply, reply_len);
        c->out_len += reply_len;
        pos += frame;
    }
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
    return 0;
}

/* Writes what it can; switches the connection between reading and waiting to write. */
static int flush(int ep, struct conn *c) {
    while (c->out_off < c->out_len) {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n < 0) {
            if (errno == EAGAIN) break;
            if (errno == EINTR) continue;
            return -1;
        }
        c->out_off += (size_t)n;
    }
    if (c->out_off == c->out_len) c->out_off = c->out_len = 0;
    int want = c->out_len > 0;
    if (want != c->want_out) {
        struct epoll_event ev = {.events = want ? EPOLLOUT : EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0) return -1;
        c->want_out = want;
    }
    return 0;
}

/*
 * Answers whole frames and writes the replies until only a partial frame is left or the peer stops
 * reading. Looping matters with level-triggered epoll: frames held back while `out` was full get no
 * new EPOLLIN once their bytes are in our buffer.
 */
static int pump(int ep, struct conn *c) {
    for (;;) {
        size_t before = c->in_len;
        if (parse(c) < 0 || flush(ep, c) < 0) return -1;
        if (c->want_out || c->in_len == 0 || c->in_len == before) return 0;
    }
}

static int on_readable(int ep, struct conn *c) {
    ssize_t n = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
    if (n == 0) return -1;
    if (n < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
    c->in_len += (size_t)n;
    return pump(ep, c);
}

static int on_writable(int ep, struct conn *c) {
    if (flush(ep, c) < 0) return -1;
    return c->want_out ? 0 : pump(ep, c);
}

static void *serve(void *arg) {
    (void)arg;
    int lfd = listen_socket();
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};  /* NULL marks the listener */
    if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) die("epoll_ctl");
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    c = malloc(sizeof *c);
                    if (c == NULL) {
                        close(fd);
                        continue;
                    }
                    c->fd = fd;
                    c->in_len = c->out_off = c->out_len = 0;
                    c->want_out = 0;
                    struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev) < 0) {
                        close(fd);
                        free(c);
                    }
                }
                continue;
            }
            int rc;
            if (events[i].events & (EPOLLERR | EPOLLHUP)) rc = -1;
            else if (c->want_out) rc = on_writable(ep, c);
            else rc = on_readable(ep, c);
            if (rc < 0) close_conn(ep, c);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *payload = "OK secure match=mx.bench.test servername=hostname";
    int opt;
    while ((opt = getopt(argc, argv, "a:p:t:r:")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 't': threads = atoi(optarg); break;
        case 'r': payload = optarg; break;
        default:
            fprintf(stderr, "usage: %s [-a ADDR] [-p PORT] [-t THREADS] [-r REPLY]\n", argv[0]);
            return 2;
        }
    }
    if (threads < 1 || strlen(payload) > MAX_REQUEST) {
        fprintf(stderr, "bad -t or -r\n");
        return 2;
    }
    reply_len = (size_t)snprintf(reply, sizeof reply, "%zu:%s,", strlen(payload), payload);
    signal(SIGPIPE, SIG_IGN);
    pthread_t tid;
    for (int i = 1; i < threads; i++)
        if (pthread_create(&tid, NULL, serve, NULL) != 0) die("pthread_create");
    serve(NULL);
    return 0;
}
