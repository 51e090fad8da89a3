// SPDX-License-Identifier: Apache-2.0
/* netsource: guest-side paced TCP sender; keeps trying to reconnect because a
 * migration can pause the guest long enough for a connection to drop. */
#include "common.h"

#include <inttypes.h>
#include <signal.h>
#include <string.h>

static void usage(void)
{
    out("usage: netsource --to IP:PORT --kib-per-sec R [--seconds S]\n"
        "  IP must be in 127.0.0.0/8 or 10.77.0.0/24; S=0 (default) runs forever");
}

int main(int argc, char **argv)
{
    prog = "netsource";
    uint64_t rate = 0, seconds = 0;
    struct endpoint ep = {0};
    int have_to = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (take_flag(argc, argv, &i, "--to", &v)) {
            parse_endpoint("--to", v, &ep);
            require_lab_addr("--to", &ep);
            have_to = 1;
        } else if (take_flag(argc, argv, &i, "--kib-per-sec", &v)) {
            rate = parse_uint("--kib-per-sec", v, 1, 1 << 20);
        } else if (take_flag(argc, argv, &i, "--seconds", &v)) {
            seconds = parse_uint("--seconds", v, 0, MAX_SECONDS);
        } else {
            bad_arg("unknown argument '%s' (see --help)", argv[i]);
        }
    }
    if (!have_to)
        bad_arg("--to is required");
    if (!rate)
        bad_arg("--kib-per-sec is required");
    signal(SIGPIPE, SIG_IGN);

    struct sender s;
    sender_init(&s, &ep);
    int64_t t0 = now_ns(), slice = t0;
    struct ticker tk;
    struct pacer pc;
    ticker_init(&tk, t0);
    pacer_init(&pc, (double)rate * 1024, t0);
    out("MIGOV netsource ready to=%s kib_per_sec=%" PRIu64, ep.text, rate);
    uint64_t bytes = 0;
    for (;;) {
        int64_t now = now_ns();
        if (ticker_due(&tk, now)) {
            out("MIGOV netsource t=%" PRIu64 " ops=%" PRIu64, tk.t, bytes);
            bytes = 0;
            if (seconds && tk.t >= seconds)
                return 0;
        }
        pacer_refill(&pc, now);
        size_t n = sender_pump(&s, (size_t)pc.credit, now);
        pc.credit -= (double)n;
        bytes += n;
        slice += 10 * NS_PER_MS;
        if (slice < now)
            slice = now + 10 * NS_PER_MS;
        sleep_until(slice < tk.next ? slice : tk.next);
    }
}
