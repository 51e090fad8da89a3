// SPDX-License-Identifier: Apache-2.0
/* Shared helpers for the migov guest workloads and the host load generator. */
#ifndef MIGOV_COMMON_H
#define MIGOV_COMMON_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_BYTES 4096u
#define WORDS_PER_PAGE (PAGE_BYTES / 8u)
#define NS_PER_SEC 1000000000LL
#define NS_PER_MS 1000000LL
#define MAX_SECONDS 100000000ULL /* "forever" is 0; this only rejects nonsense */

/* Program name used in every message; set once at the top of main(). */
extern const char *prog;

int64_t now_ns(void);
void sleep_until(int64_t t_ns);

/* One console line, flushed at once: the fixture reads the serial console live. */
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Bad command line: message on stderr, exit 2. */
_Noreturn void bad_arg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Runtime failure (allocation, bind): message on stderr, exit 1. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Matches argv[*i] against "--name VALUE" or "--name=VALUE"; advances *i past the value. */
int take_flag(int argc, char **argv, int *i, const char *name, const char **val);
uint64_t parse_uint(const char *flag, const char *val, uint64_t min, uint64_t max);

/* Per-second reporting windows, counted from the moment the workload is ready. */
struct ticker {
    int64_t start, next;
    uint64_t t; /* whole seconds since start at the last due tick */
};
void ticker_init(struct ticker *tk, int64_t start);
int ticker_due(struct ticker *tk, int64_t now);

/* Token bucket: credit grows at rate units/s, capped at 100 ms worth so a stall
 * (VM paused, connection down) is not followed by a burst. */
struct pacer {
    double rate, credit, cap;
    int64_t last;
};
void pacer_init(struct pacer *p, double rate, int64_t now);
void pacer_refill(struct pacer *p, int64_t now);
uint64_t pacer_take(struct pacer *p, uint64_t max);

/* Anonymous working set dirtied one 8-byte write per 4 KiB page, cyclically. */
struct dirtier {
    uint64_t *mem;
    size_t npages, cursor;
    uint64_t stamp;
};
int dirtier_resize(struct dirtier *d, uint64_t mib);
void dirtier_write(struct dirtier *d, uint64_t pages);

/* IPv4 only, numeric only: no name resolution means no surprise destinations. */
struct endpoint {
    struct sockaddr_in sa;
    char text[32];
};
void parse_endpoint(const char *flag, const char *val, struct endpoint *ep);
int is_lab_addr(struct in_addr a);
void require_lab_addr(const char *flag, const struct endpoint *ep);

/* TCP sender that never blocks: connects, sends what it can, reconnects with backoff. */
struct sender {
    struct endpoint ep;
    int fd;
    int connecting;
    int failing; /* a connect failure was already reported in this streak */
    int64_t deadline, next_try, backoff;
};
void sender_init(struct sender *s, const struct endpoint *ep);
size_t sender_pump(struct sender *s, size_t want, int64_t now);

/* TCP listener counting bytes from any number of concurrent connections. */
#define RECEIVER_MAX_CONNS 32
struct receiver {
    int lfd;
    int fds[RECEIVER_MAX_CONNS];
    int nfds;
    int lab_peers_only;
};
void receiver_listen(struct receiver *r, const char *flag, const struct endpoint *ep);
uint64_t receiver_poll(struct receiver *r, int timeout_ms, uint64_t max_bytes);

#endif
