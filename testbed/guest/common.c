// SPDX-License-Identifier: Apache-2.0
#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const char *prog = "migov";

int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

void sleep_until(int64_t t_ns)
{
    struct timespec ts = {.tv_sec = t_ns / NS_PER_SEC, .tv_nsec = t_ns % NS_PER_SEC};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    flockfile(stdout); /* phased prints from several threads: keep each line whole */
    vfprintf(stdout, fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
    funlockfile(stdout);
    va_end(ap);
}

static void vmsg(const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void bad_arg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    exit(2);
}

void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    exit(1);
}

int take_flag(int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        bad_arg("%s: missing value", name);
    *val = argv[++*i];
    return 1;
}

uint64_t parse_uint(const char *flag, const char *val, uint64_t min, uint64_t max)
{
    /* strtoull alone would accept " 12", "-1" (wrapping) and "12abc". */
    int digits = val[0] != '\0';
    for (const char *c = val; *c; c++)
        if (*c < '0' || *c > '9')
            digits = 0;
    errno = 0;
    unsigned long long v = digits ? strtoull(val, NULL, 10) : 0;
    if (!digits || errno == ERANGE || (v == 0 && min == 1))
        bad_arg("%s: expected a %s integer, got '%s'", flag, min > 0 ? "positive" : "non-negative", val);
    if (v < min || v > max)
        bad_arg("%s: expected an integer in %llu..%llu, got '%s'", flag, (unsigned long long)min,
                (unsigned long long)max, val);
    return v;
}

void ticker_init(struct ticker *tk, int64_t start)
{
    tk->start = start;
    tk->next = start + NS_PER_SEC;
    tk->t = 0;
}

int ticker_due(struct ticker *tk, int64_t now)
{
    if (now < tk->next)
        return 0;
    /* After a stall longer than a second the skipped t values stay missing:
     * that gap is how a reader sees the pause. */
    tk->t = (uint64_t)((now - tk->start) / NS_PER_SEC);
    tk->next = tk->start + (int64_t)(tk->t + 1) * NS_PER_SEC;
    return 1;
}

void pacer_init(struct pacer *p, double rate, int64_t now)
{
    p->rate = rate;
    p->credit = 0;
    p->cap = rate * 0.1 > 1.0 ? rate * 0.1 : 1.0;
    p->last = now;
}

void pacer_refill(struct pacer *p, int64_t now)
{
    p->credit += p->rate * (double)(now - p->last) / (double)NS_PER_SEC;
    if (p->credit > p->cap)
        p->credit = p->cap;
    p->last = now;
}

uint64_t pacer_take(struct pacer *p, uint64_t max)
{
    uint64_t n = p->credit > 0 ? (uint64_t)p->credit : 0;
    if (n > max)
        n = max;
    p->credit -= (double)n;
    return n;
}

int dirtier_resize(struct dirtier *d, uint64_t mib)
{
    size_t want = (size_t)mib * 1024 * 1024 / PAGE_BYTES;
    size_t old = d->npages;
    if (want == old)
        return 0;
    void *m;
    if (want == 0) {
        munmap(d->mem, old * PAGE_BYTES);
        m = NULL;
    } else if (old == 0) {
        m = mmap(NULL, want * PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } else {
        /* Shrinking gives the memory back to the guest kernel, so a smaller
         * phase really has a smaller footprint. */
        m = mremap(d->mem, old * PAGE_BYTES, want * PAGE_BYTES, MREMAP_MAYMOVE);
    }
    if (m == MAP_FAILED)
        return -1;
    d->mem = m;
    d->npages = want;
    if (d->cursor >= want)
        d->cursor = 0;
    /* Touch new pages with a non-zero word: untouched or all-zero pages are
     * nearly free for the migration stream and would fake a small working set. */
    for (size_t p = old; p < want; p++)
        d->mem[p * WORDS_PER_PAGE] = ++d->stamp;
    return 0;
}

void dirtier_write(struct dirtier *d, uint64_t pages)
{
    if (d->npages == 0)
        return;
    for (uint64_t i = 0; i < pages; i++) {
        /* Vary the word so every write changes page content, not just a flag. */
        d->stamp++;
        d->mem[d->cursor * WORDS_PER_PAGE + (d->stamp & (WORDS_PER_PAGE - 1))] = d->stamp;
        if (++d->cursor == d->npages)
            d->cursor = 0;
    }
}

void parse_endpoint(const char *flag, const char *val, struct endpoint *ep)
{
    char host[64];
    const char *colon = strrchr(val, ':');
    if (!colon || (size_t)(colon - val) >= sizeof host)
        bad_arg("%s: expected IPv4:PORT, got '%s'", flag, val);
    memcpy(host, val, (size_t)(colon - val));
    host[colon - val] = '\0';
    memset(ep, 0, sizeof *ep);
    ep->sa.sin_family = AF_INET;
    if (inet_pton(AF_INET, host, &ep->sa.sin_addr) != 1)
        bad_arg("%s: expected IPv4:PORT, got '%s'", flag, val);
    char label[80], ip[INET_ADDRSTRLEN];
    snprintf(label, sizeof label, "%s port", flag);
    unsigned port = (unsigned)parse_uint(label, colon + 1, 1, 65535);
    ep->sa.sin_port = htons((uint16_t)port);
    inet_ntop(AF_INET, &ep->sa.sin_addr, ip, sizeof ip);
    snprintf(ep->text, sizeof ep->text, "%s:%u", ip, port);
}

int is_lab_addr(struct in_addr a)
{
    uint32_t h = ntohl(a.s_addr);
    return (h >> 24) == 127 || (h >> 8) == ((10u << 16) | (77u << 8) | 0u);
}

void require_lab_addr(const char *flag, const struct endpoint *ep)
{
    if (!is_lab_addr(ep->sa.sin_addr))
        bad_arg("%s: refusing '%s': only loopback (127.0.0.0/8) and lab (10.77.0.0/24) addresses are allowed",
                flag, ep->text);
}

void sender_init(struct sender *s, const struct endpoint *ep)
{
    memset(s, 0, sizeof *s);
    s->ep = *ep;
    s->fd = -1;
    s->backoff = 100 * NS_PER_MS;
}

static const char *errname(int err)
{
    const char *n = strerrorname_np(err);
    return n ? n : "unknown";
}

static void sender_fail(struct sender *s, int err, int64_t now)
{
    if (s->connecting) {
        if (!s->failing)
            out("MIGOV %s event=connect_failed peer=%s error=%s", prog, s->ep.text, errname(err));
        s->failing = 1;
    } else {
        out("MIGOV %s event=disconnected peer=%s error=%s", prog, s->ep.text, errname(err));
    }
    close(s->fd);
    s->fd = -1;
    s->connecting = 0;
    s->next_try = now + s->backoff;
    s->backoff = s->backoff * 2 > 2 * NS_PER_SEC ? 2 * NS_PER_SEC : s->backoff * 2;
}

static void sender_connect(struct sender *s, int64_t now)
{
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0)
        fatal("socket: %s", strerror(errno));
    /* A peer that vanished silently (VM destroyed mid-migration) must surface as
     * an error within seconds, not after the default ~15 min of retransmits. */
    int one = 1, user_timeout_ms = 10000;
    setsockopt(s->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    setsockopt(s->fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
    s->connecting = 1;
    s->deadline = now + NS_PER_SEC;
    if (connect(s->fd, (struct sockaddr *)&s->ep.sa, sizeof s->ep.sa) < 0 && errno != EINPROGRESS)
        sender_fail(s, errno, now);
}

size_t sender_pump(struct sender *s, size_t want, int64_t now)
{
    static char pattern[64 * 1024];
    if (s->fd < 0) {
        if (want == 0 || now < s->next_try)
            return 0;
        sender_connect(s, now);
        if (s->fd < 0)
            return 0;
    }
    if (s->connecting) {
        struct pollfd pfd = {.fd = s->fd, .events = POLLOUT};
        if (poll(&pfd, 1, 0) == 0) {
            if (now >= s->deadline)
                sender_fail(s, ETIMEDOUT, now);
            return 0;
        }
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            sender_fail(s, err, now);
            return 0;
        }
        s->connecting = 0;
        s->failing = 0;
        s->backoff = 100 * NS_PER_MS;
        out("MIGOV %s event=connected peer=%s", prog, s->ep.text);
    }
    size_t sent = 0;
    while (sent < want) {
        size_t n = want - sent < sizeof pattern ? want - sent : sizeof pattern;
        ssize_t r = send(s->fd, pattern, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (r < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno == EINTR)
                continue;
            sender_fail(s, errno, now);
            break;
        }
        sent += (size_t)r;
    }
    return sent;
}

void receiver_listen(struct receiver *r, const char *flag, const struct endpoint *ep)
{
    memset(r, 0, sizeof *r);
    r->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (r->lfd < 0)
        fatal("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(r->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(r->lfd, (struct sockaddr *)&ep->sa, sizeof ep->sa) < 0 || listen(r->lfd, 16) < 0)
        fatal("%s: cannot listen on %s: %s", flag, ep->text, strerror(errno));
}

static void receiver_accept(struct receiver *r)
{
    for (;;) {
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int fd = accept4(r->lfd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        if ((r->lab_peers_only && !is_lab_addr(peer.sin_addr)) || r->nfds == RECEIVER_MAX_CONNS) {
            out("MIGOV %s event=rejected peer=%s:%u", prog, ip, ntohs(peer.sin_port));
            close(fd);
            continue;
        }
        r->fds[r->nfds++] = fd;
        out("MIGOV %s event=accepted peer=%s:%u conns=%d", prog, ip, ntohs(peer.sin_port), r->nfds);
    }
}

uint64_t receiver_poll(struct receiver *r, int timeout_ms, uint64_t max_bytes)
{
    static char buf[64 * 1024];
    struct pollfd pfd[RECEIVER_MAX_CONNS + 1];
    pfd[0] = (struct pollfd){.fd = r->lfd, .events = POLLIN};
    for (int i = 0; i < r->nfds; i++)
        pfd[i + 1] = (struct pollfd){.fd = r->fds[i], .events = POLLIN};
    int nfds = r->nfds;
    if (poll(pfd, (nfds_t)nfds + 1, timeout_ms) <= 0)
        return 0;
    uint64_t got = 0;
    for (int i = nfds - 1; i >= 0; i--) {
        if (!pfd[i + 1].revents)
            continue;
        size_t room = max_bytes - got < sizeof buf ? (size_t)(max_bytes - got) : sizeof buf;
        if (room == 0)
            break;
        ssize_t n = recv(r->fds[i], buf, room, 0);
        if (n > 0) {
            got += (uint64_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        close(r->fds[i]);
        r->fds[i] = r->fds[--r->nfds];
        out("MIGOV %s event=closed conns=%d", prog, r->nfds);
    }
    if (pfd[0].revents)
        receiver_accept(r);
    return got;
}
