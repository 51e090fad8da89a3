// SPDX-License-Identifier: Apache-2.0
/* mwriter: a working set of N MiB dirtied at a fixed page rate. The dirty rate is
 * what decides whether pre-copy converges, so it has to be steady and known. */
#include "common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void usage(void)
{
    out("usage: mwriter --mib N --pages-per-sec R [--seconds S]\n"
        "  R=0 dirties as fast as possible; S=0 (default) runs forever");
}

int main(int argc, char **argv)
{
    prog = "mwriter";
    uint64_t mib = 0, rate = 0, seconds = 0;
    int have_rate = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (take_flag(argc, argv, &i, "--mib", &v)) {
            mib = parse_uint("--mib", v, 1, 1 << 20);
        } else if (take_flag(argc, argv, &i, "--pages-per-sec", &v)) {
            rate = parse_uint("--pages-per-sec", v, 0, 100000000);
            have_rate = 1;
        } else if (take_flag(argc, argv, &i, "--seconds", &v)) {
            seconds = parse_uint("--seconds", v, 0, MAX_SECONDS);
        } else {
            bad_arg("unknown argument '%s' (see --help)", argv[i]);
        }
    }
    if (!mib)
        bad_arg("--mib is required");
    if (!have_rate)
        bad_arg("--pages-per-sec is required (0 = as fast as possible)");

    struct dirtier d = {0};
    if (dirtier_resize(&d, mib) < 0)
        fatal("--mib: cannot allocate %" PRIu64 " MiB: %s", mib, strerror(errno));

    int64_t t0 = now_ns();
    struct ticker tk;
    struct pacer pc;
    ticker_init(&tk, t0);
    pacer_init(&pc, (double)rate, t0);
    out("MIGOV mwriter ready ws_mib=%" PRIu64 " pages=%zu pages_per_sec=%" PRIu64, mib, d.npages, rate);

    uint64_t ops = 0;
    int64_t slice = t0;
    for (;;) {
        int64_t now = now_ns();
        if (ticker_due(&tk, now)) {
            out("MIGOV mwriter t=%" PRIu64 " ops=%" PRIu64 " ws_mib=%" PRIu64, tk.t, ops, mib);
            ops = 0;
            if (seconds && tk.t >= seconds)
                return 0;
        }
        if (rate == 0) {
            dirtier_write(&d, 1024);
            ops += 1024;
            continue;
        }
        /* 10 ms slices keep the rate smooth at the scale of a migration pass. */
        pacer_refill(&pc, now);
        uint64_t n = pacer_take(&pc, UINT64_MAX);
        dirtier_write(&d, n);
        ops += n;
        slice += 10 * NS_PER_MS;
        if (slice < now)
            slice = now + 10 * NS_PER_MS;
        sleep_until(slice < tk.next ? slice : tk.next);
    }
}
