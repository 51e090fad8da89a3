// SPDX-License-Identifier: Apache-2.0
/* diskio: reads or writes a block device (or file) at a paced rate and reports IOPS and
 * throughput each second. It is both the migrating guest's disk workload and the co-located
 * workload whose throughput a storage migration must not hurt, so it bypasses the page cache
 * (O_DIRECT where the target allows it): a cached read would measure RAM, not the shared disk. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

static void usage(void)
{
    out("usage: diskio --path DEV|FILE --pattern seqread|randread|seqwrite|randwrite [--bs-kib B]\n"
        "              [--iops R] [--span-mib M] [--seconds S] [--seed N]\n"
        "  B = block size in KiB (default 64); R = operations per second, 0 (default) = as fast as possible;\n"
        "  M = the first M MiB of the target are used (default: all of it); S = 0 (default) runs forever");
}

static uint64_t target_bytes(int fd, const char *path)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        fatal("--path: cannot stat '%s': %s", path, strerror(errno));
    if (S_ISBLK(st.st_mode)) {
        uint64_t n = 0;
        if (ioctl(fd, BLKGETSIZE64, &n) < 0)
            fatal("--path: cannot read the size of '%s': %s", path, strerror(errno));
        return n;
    }
    if (S_ISREG(st.st_mode))
        return (uint64_t)st.st_size;
    bad_arg("--path: '%s' is neither a block device nor a regular file", path);
}

/* xorshift64*: a fixed sequence per seed, so two runs of a random pattern touch the same blocks */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

int main(int argc, char **argv)
{
    prog = "diskio";
    const char *path = NULL, *pattern = NULL;
    uint64_t bs_kib = 64, rate = 0, span_mib = 0, seconds = 0, seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (take_flag(argc, argv, &i, "--path", &v)) {
            path = v;
        } else if (take_flag(argc, argv, &i, "--pattern", &v)) {
            pattern = v;
        } else if (take_flag(argc, argv, &i, "--bs-kib", &v)) {
            bs_kib = parse_uint("--bs-kib", v, 4, 16384);
        } else if (take_flag(argc, argv, &i, "--iops", &v)) {
            rate = parse_uint("--iops", v, 0, 10000000);
        } else if (take_flag(argc, argv, &i, "--span-mib", &v)) {
            span_mib = parse_uint("--span-mib", v, 1, 1 << 24);
        } else if (take_flag(argc, argv, &i, "--seconds", &v)) {
            seconds = parse_uint("--seconds", v, 0, MAX_SECONDS);
        } else if (take_flag(argc, argv, &i, "--seed", &v)) {
            seed = parse_uint("--seed", v, 1, UINT64_MAX);
        } else {
            bad_arg("unknown argument '%s' (see --help)", argv[i]);
        }
    }
    if (!path)
        bad_arg("--path is required");
    if (!pattern)
        bad_arg("--pattern is required (seqread|randread|seqwrite|randwrite)");
    int writing, random;
    if (!strcmp(pattern, "seqread")) {
        writing = 0, random = 0;
    } else if (!strcmp(pattern, "randread")) {
        writing = 0, random = 1;
    } else if (!strcmp(pattern, "seqwrite")) {
        writing = 1, random = 0;
    } else if (!strcmp(pattern, "randwrite")) {
        writing = 1, random = 1;
    } else {
        bad_arg("--pattern: '%s' is not one of seqread|randread|seqwrite|randwrite", pattern);
    }
    if (bs_kib % 4)
        bad_arg("--bs-kib: %" PRIu64 " is not a multiple of 4 (direct I/O needs aligned blocks)", bs_kib);

    int flags = writing ? O_RDWR : O_RDONLY;
    int fd = open(path, flags | O_DIRECT);
    int direct = 1;
    if (fd < 0 && errno == EINVAL) { /* tmpfs and friends: no O_DIRECT; still usable for tests */
        fd = open(path, flags);
        direct = 0;
    }
    if (fd < 0)
        fatal("--path: cannot open '%s': %s", path, strerror(errno));
    size_t bs = (size_t)bs_kib * 1024u;
    uint64_t size = target_bytes(fd, path);
    if (span_mib) {
        if (span_mib * 1048576u > size)
            bad_arg("--span-mib: %" PRIu64 " MiB is more than '%s' holds (%" PRIu64 " MiB)", span_mib, path,
                    size / 1048576u);
        size = span_mib * 1048576u;
    }
    uint64_t blocks = size / bs;
    if (!blocks)
        bad_arg("--path: '%s' is smaller than one block (%zu bytes)", path, bs);

    void *buf = NULL;
    if (posix_memalign(&buf, 4096, bs) != 0)
        fatal("cannot allocate a %zu-byte aligned buffer", bs);
    /* written blocks carry a recognisable, non-zero pattern: zeroes could be skipped by a copy */
    for (size_t w = 0; w < bs / 8; w++)
        ((uint64_t *)buf)[w] = 0x6d69676f76000000ULL ^ (w * 0x9e3779b97f4a7c15ULL);

    int64_t t0 = now_ns();
    struct ticker tk;
    struct pacer pc;
    ticker_init(&tk, t0);
    pacer_init(&pc, (double)rate, t0);
    out("MIGOV diskio ready path=%s pattern=%s bs_kib=%" PRIu64 " iops=%" PRIu64 " span_mib=%" PRIu64 " direct=%d",
        path, pattern, bs_kib, rate, size / 1048576u, direct);

    uint64_t ops = 0, bytes = 0, cursor = 0, rnd = seed, errors = 0;
    for (;;) {
        int64_t now = now_ns();
        if (ticker_due(&tk, now)) {
            out("MIGOV diskio t=%" PRIu64 " ops=%" PRIu64 " bytes=%" PRIu64 " errors=%" PRIu64, tk.t, ops, bytes,
                errors);
            ops = bytes = errors = 0;
            if (seconds && tk.t >= seconds)
                break;
        }
        uint64_t n = 1;
        if (rate) {
            pacer_refill(&pc, now);
            n = pacer_take(&pc, 16);
            if (!n) {
                sleep_until(now + NS_PER_MS);
                continue;
            }
        }
        for (uint64_t k = 0; k < n; k++) {
            uint64_t block = random ? next_random(&rnd) % blocks : cursor++ % blocks;
            off_t off = (off_t)(block * bs);
            ssize_t got = writing ? pwrite(fd, buf, bs, off) : pread(fd, buf, bs, off);
            if (got < 0) {
                /* count, do not die: a paused or throttled disk is what is being measured */
                errors++;
                continue;
            }
            ops++;
            bytes += (uint64_t)got;
        }
    }
    free(buf);
    close(fd);
    return 0;
}
