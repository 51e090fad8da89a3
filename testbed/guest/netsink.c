// SPDX-License-Identifier: Apache-2.0
/* netsink: guest-side TCP listener; bytes received per second is the inbound
 * application throughput seen across a migration. */
#include "common.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void usage(void)
{
    out("usage: netsink --port P [--seconds S]\n"
        "  listens on 0.0.0.0:P (inside the guest); S=0 (default) runs forever");
}

int main(int argc, char **argv)
{
    prog = "netsink";
    uint64_t port = 0, seconds = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (take_flag(argc, argv, &i, "--port", &v)) {
            port = parse_uint("--port", v, 1, 65535);
        } else if (take_flag(argc, argv, &i, "--seconds", &v)) {
            seconds = parse_uint("--seconds", v, 0, MAX_SECONDS);
        } else {
            bad_arg("unknown argument '%s' (see --help)", argv[i]);
        }
    }
    if (!port)
        bad_arg("--port is required");
    signal(SIGPIPE, SIG_IGN);

    struct endpoint ep = {0};
    ep.sa.sin_family = AF_INET;
    ep.sa.sin_addr.s_addr = htonl(INADDR_ANY);
    ep.sa.sin_port = htons((uint16_t)port);
    snprintf(ep.text, sizeof ep.text, "0.0.0.0:%" PRIu64, port);
    struct receiver r;
    receiver_listen(&r, "--port", &ep);

    struct ticker tk;
    ticker_init(&tk, now_ns());
    out("MIGOV netsink ready port=%" PRIu64, port);
    uint64_t bytes = 0;
    for (;;) {
        int64_t now = now_ns();
        if (ticker_due(&tk, now)) {
            out("MIGOV netsink t=%" PRIu64 " ops=%" PRIu64, tk.t, bytes);
            bytes = 0;
            if (seconds && tk.t >= seconds)
                return 0;
            continue;
        }
        int wait_ms = (int)((tk.next - now + NS_PER_MS - 1) / NS_PER_MS);
        bytes += receiver_poll(&r, wait_ms, UINT64_MAX);
    }
}
