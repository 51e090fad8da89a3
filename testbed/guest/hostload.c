// SPDX-License-Identifier: Apache-2.0
/* hostload: the host side of the guest network workloads. It runs in a root or lab
 * namespace, so it is bounded in time and bytes and only talks to loopback or the
 * lab subnet: a typo must never turn it into traffic towards a real network. */
#include "common.h"

#include <inttypes.h>
#include <signal.h>
#include <string.h>

#define MAX_HOST_SECONDS 3600
#define MAX_HOST_MIB 4096

static void usage(void)
{
    out("usage: hostload send --to IP:PORT --kib-per-sec R --seconds S --max-mib M\n"
        "       hostload recv --listen IP:PORT --seconds S [--max-mib M]\n"
        "  IP must be in 127.0.0.0/8 or 10.77.0.0/24; S in 1..3600; M in 1..4096 (recv default 4096)");
}

int main(int argc, char **argv)
{
    prog = "hostload";
    if (argc >= 2 && !strcmp(argv[1], "--help")) {
        usage();
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv")))
        bad_arg("expected a mode 'send' or 'recv', got '%s' (see --help)", argc < 2 ? "" : argv[1]);
    int sending = !strcmp(argv[1], "send");
    uint64_t rate = 0, seconds = 0, max_mib = 0;
    struct endpoint ep = {0};
    int have_ep = 0;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (sending && take_flag(argc, argv, &i, "--to", &v)) {
            parse_endpoint("--to", v, &ep);
            require_lab_addr("--to", &ep);
            have_ep = 1;
        } else if (!sending && take_flag(argc, argv, &i, "--listen", &v)) {
            parse_endpoint("--listen", v, &ep);
            require_lab_addr("--listen", &ep);
            have_ep = 1;
        } else if (sending && take_flag(argc, argv, &i, "--kib-per-sec", &v)) {
            rate = parse_uint("--kib-per-sec", v, 1, 1 << 20);
        } else if (take_flag(argc, argv, &i, "--seconds", &v)) {
            seconds = parse_uint("--seconds", v, 1, MAX_HOST_SECONDS);
        } else if (take_flag(argc, argv, &i, "--max-mib", &v)) {
            max_mib = parse_uint("--max-mib", v, 1, MAX_HOST_MIB);
        } else {
            bad_arg("%s: unknown argument '%s' (see --help)", argv[1], argv[i]);
        }
    }
    if (!have_ep)
        bad_arg("%s: %s is required", argv[1], sending ? "--to" : "--listen");
    if (sending && !rate)
        bad_arg("send: --kib-per-sec is required");
    if (!seconds)
        bad_arg("%s: --seconds is required (1..%d)", argv[1], MAX_HOST_SECONDS);
    if (sending && !max_mib)
        bad_arg("send: --max-mib is required (1..%d)", MAX_HOST_MIB);
    if (!max_mib)
        max_mib = MAX_HOST_MIB;
    signal(SIGPIPE, SIG_IGN);

    uint64_t budget = max_mib * 1024 * 1024, total = 0, bytes = 0;
    struct sender s;
    struct receiver r;
    if (sending) {
        sender_init(&s, &ep);
    } else {
        receiver_listen(&r, "--listen", &ep);
        r.lab_peers_only = 1;
    }
    int64_t t0 = now_ns(), slice = t0, end = t0 + (int64_t)seconds * NS_PER_SEC;
    struct ticker tk;
    struct pacer pc;
    ticker_init(&tk, t0);
    pacer_init(&pc, (double)rate * 1024, t0);
    if (sending)
        out("MIGOV hostload ready mode=send to=%s kib_per_sec=%" PRIu64 " seconds=%" PRIu64 " max_mib=%" PRIu64,
            ep.text, rate, seconds, max_mib);
    else
        out("MIGOV hostload ready mode=recv listen=%s seconds=%" PRIu64 " max_mib=%" PRIu64, ep.text, seconds,
            max_mib);

    for (;;) {
        int64_t now = now_ns();
        int due = ticker_due(&tk, now);
        int finished = now >= end || total >= budget;
        /* Flush a partial last second too, so the per-second lines add up to the
         * total; it is labelled like every line, by the end of its window. */
        if (due || (finished && bytes)) {
            uint64_t t = due ? tk.t : (uint64_t)((now - t0) / NS_PER_SEC) + 1;
            out("MIGOV hostload t=%" PRIu64 " ops=%" PRIu64, t, bytes);
            bytes = 0;
        }
        if (finished) {
            out("MIGOV hostload event=finished total_bytes=%" PRIu64 " reason=%s", total,
                total >= budget ? "max_mib" : "seconds");
            return 0;
        }
        uint64_t n;
        if (sending) {
            pacer_refill(&pc, now);
            uint64_t want = (uint64_t)pc.credit < budget - total ? (uint64_t)pc.credit : budget - total;
            n = sender_pump(&s, (size_t)want, now);
            pc.credit -= (double)n;
            slice += 10 * NS_PER_MS;
            if (slice < now)
                slice = now + 10 * NS_PER_MS;
            int64_t wake = slice < tk.next ? slice : tk.next;
            sleep_until(wake < end ? wake : end);
        } else {
            int64_t wake = tk.next < end ? tk.next : end;
            n = receiver_poll(&r, (int)((wake - now + NS_PER_MS - 1) / NS_PER_MS), budget - total);
        }
        bytes += n;
        total += n;
    }
}
