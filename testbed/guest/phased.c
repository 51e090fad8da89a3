// SPDX-License-Identifier: Apache-2.0
/* phased: the dynamic workload. A sequence of phases, each with its own CPU share,
 * dirty rate, working set and network traffic, so a migration policy can be tested
 * against a guest whose behaviour changes while it is being migrated.
 *
 * One thread per activity keeps them independent: a 100% CPU phase must not
 * starve the dirtier or the network, as it would in a single loop. */
#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define MAX_PHASES 64
#define STOPPED (-1)

struct phase {
    char name[32];
    uint64_t dur, cpu, rate, mib, in_kib, out_kib;
};

static struct phase phases[MAX_PHASES];
static int nphases;
static atomic_int cur = 0;         /* index of the running phase, or STOPPED */
static atomic_uint_fast64_t seq;   /* bumped at every phase start, so a repeated phase is still "new" */
static atomic_uint_fast64_t c_pages, c_units, c_in, c_out;

static int have_peer, have_listen;
static struct endpoint peer, listen_ep;

static void parse_phase(const char *spec, struct phase *ph)
{
    const char *colon = strchr(spec, ':');
    size_t nlen = colon ? (size_t)(colon - spec) : 0;
    if (!colon || nlen == 0 || nlen >= sizeof ph->name)
        bad_arg("--phase: expected NAME:dur=S,cpu=P,rate=R,mib=M,in=K,out=K (name 1..31 chars), got '%s'", spec);
    for (size_t i = 0; i < nlen; i++) {
        char c = spec[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.'))
            bad_arg("--phase: name may only use A-Z a-z 0-9 _ - . , got '%.*s'", (int)nlen, spec);
    }
    memset(ph, 0, sizeof *ph);
    memcpy(ph->name, spec, nlen);

    char buf[512];
    if (strlen(colon + 1) >= sizeof buf)
        bad_arg("--phase: spec too long: '%s'", spec);
    strcpy(buf, colon + 1);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            bad_arg("--phase: %s: expected key=value, got '%s'", ph->name, kv);
        *eq = '\0';
        const char *v = eq + 1;
        char label[96];
        snprintf(label, sizeof label, "--phase: %s: %s", ph->name, kv);
        if (!strcmp(kv, "dur"))
            ph->dur = parse_uint(label, v, 1, MAX_SECONDS);
        else if (!strcmp(kv, "cpu"))
            ph->cpu = parse_uint(label, v, 0, 100);
        else if (!strcmp(kv, "rate"))
            ph->rate = parse_uint(label, v, 0, 100000000);
        else if (!strcmp(kv, "mib"))
            ph->mib = parse_uint(label, v, 0, 1 << 20);
        else if (!strcmp(kv, "in"))
            ph->in_kib = parse_uint(label, v, 0, 1 << 20);
        else if (!strcmp(kv, "out"))
            ph->out_kib = parse_uint(label, v, 0, 1 << 20);
        else
            bad_arg("--phase: %s: unknown key '%s' (dur, cpu, rate, mib, in, out)", ph->name, kv);
    }
    if (!ph->dur)
        bad_arg("--phase: %s: dur is required and must be positive", ph->name);
    if (ph->rate && !ph->mib)
        bad_arg("--phase: %s: rate=%" PRIu64 " needs a working set (mib > 0)", ph->name, ph->rate);
}

/* Busy for cpu% of every 100 ms slice; a "unit" is a fixed chunk of arithmetic,
 * so units/s falls when the vCPU is throttled (auto-converge) or paused. */
static void *cpu_main(void *arg)
{
    (void)arg;
    volatile uint64_t sink = 0;
    uint64_t x = 88172645463325252ULL, seen = UINT64_MAX;
    int64_t slice = 0;
    for (;;) {
        uint64_t s = atomic_load(&seq);
        int i = atomic_load(&cur);
        if (i == STOPPED)
            return NULL;
        int64_t now = now_ns();
        /* Slices start at the phase start and a phase change cuts the busy part
         * short, so busy time never leaks into the next phase's numbers. */
        if (s != seen || slice + 100 * NS_PER_MS < now) {
            seen = s;
            slice = now;
        }
        int64_t busy_end = slice + (int64_t)phases[i].cpu * NS_PER_MS;
        while (now_ns() < busy_end && atomic_load(&seq) == s) {
            for (int k = 0; k < 1000; k++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
            sink = x;
            atomic_fetch_add(&c_units, 1);
        }
        slice += 100 * NS_PER_MS;
        if (phases[i].cpu < 100)
            sleep_until(slice);
    }
    (void)sink;
}

static void *mem_main(void *arg)
{
    (void)arg;
    struct dirtier d = {0};
    struct pacer pc;
    uint64_t seen = UINT64_MAX;
    int64_t slice = now_ns();
    for (;;) {
        uint64_t s = atomic_load(&seq);
        int i = atomic_load(&cur);
        if (i == STOPPED)
            return NULL;
        int64_t now = now_ns();
        if (s != seen) {
            seen = s;
            if (dirtier_resize(&d, phases[i].mib) < 0)
                fatal("--phase: %s: cannot allocate %" PRIu64 " MiB: %s", phases[i].name, phases[i].mib,
                      strerror(errno));
            now = now_ns();
            pacer_init(&pc, (double)phases[i].rate, now);
        }
        if (phases[i].rate) {
            pacer_refill(&pc, now);
            uint64_t n = pacer_take(&pc, UINT64_MAX);
            dirtier_write(&d, n);
            atomic_fetch_add(&c_pages, n);
        }
        slice += 10 * NS_PER_MS;
        if (slice < now)
            slice = now + 10 * NS_PER_MS;
        sleep_until(slice);
    }
}

static void *out_main(void *arg)
{
    (void)arg;
    struct sender snd;
    struct pacer pc;
    sender_init(&snd, &peer);
    uint64_t seen = UINT64_MAX;
    int64_t slice = now_ns();
    for (;;) {
        uint64_t s = atomic_load(&seq);
        int i = atomic_load(&cur);
        if (i == STOPPED)
            return NULL;
        int64_t now = now_ns();
        if (s != seen) {
            seen = s;
            pacer_init(&pc, (double)phases[i].out_kib * 1024, now);
        }
        pacer_refill(&pc, now);
        /* With out=0 an idle connection is kept but no new one is opened. */
        size_t n = sender_pump(&snd, (size_t)pc.credit, now);
        pc.credit -= (double)n;
        atomic_fetch_add(&c_out, n);
        slice += 10 * NS_PER_MS;
        if (slice < now)
            slice = now + 10 * NS_PER_MS;
        sleep_until(slice);
    }
}

static void *in_main(void *arg)
{
    struct receiver *r = arg;
    while (atomic_load(&cur) != STOPPED)
        atomic_fetch_add(&c_in, receiver_poll(r, 100, UINT64_MAX));
    return NULL;
}

static void usage(void)
{
    out("usage: phased --phase NAME:dur=S[,cpu=P][,rate=R][,mib=M][,in=K][,out=K] [--phase ...]\n"
        "              [--loop] [--peer IP:PORT] [--listen PORT] [--seconds S]\n"
        "  dur seconds, cpu busy %% (0-100), rate dirty pages/s, mib working set,\n"
        "  in/out KiB/s (out is sent to --peer; in is received on --listen); missing keys are 0");
}

static void start_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    int err = pthread_create(&t, NULL, fn, arg);
    if (err)
        fatal("pthread_create: %s", strerror(err));
}

int main(int argc, char **argv)
{
    prog = "phased";
    int loop = 0;
    uint64_t seconds = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--loop")) {
            loop = 1;
        } else if (take_flag(argc, argv, &i, "--phase", &v)) {
            if (nphases == MAX_PHASES)
                bad_arg("--phase: at most %d phases", MAX_PHASES);
            parse_phase(v, &phases[nphases++]);
        } else if (take_flag(argc, argv, &i, "--peer", &v)) {
            parse_endpoint("--peer", v, &peer);
            require_lab_addr("--peer", &peer);
            have_peer = 1;
        } else if (take_flag(argc, argv, &i, "--listen", &v)) {
            uint64_t port = parse_uint("--listen", v, 1, 65535);
            listen_ep.sa.sin_family = AF_INET;
            listen_ep.sa.sin_addr.s_addr = htonl(INADDR_ANY);
            listen_ep.sa.sin_port = htons((uint16_t)port);
            snprintf(listen_ep.text, sizeof listen_ep.text, "0.0.0.0:%" PRIu64, port);
            have_listen = 1;
        } else if (take_flag(argc, argv, &i, "--seconds", &v)) {
            seconds = parse_uint("--seconds", v, 0, MAX_SECONDS);
        } else {
            bad_arg("unknown argument '%s' (see --help)", argv[i]);
        }
    }
    if (!nphases)
        bad_arg("--phase: at least one phase is required");
    for (int i = 0; i < nphases; i++) {
        if (phases[i].out_kib && !have_peer)
            bad_arg("--phase: %s: out=%" PRIu64 " needs --peer IP:PORT", phases[i].name, phases[i].out_kib);
        if (phases[i].in_kib && !have_listen)
            bad_arg("--phase: %s: in=%" PRIu64 " needs --listen PORT", phases[i].name, phases[i].in_kib);
    }
    signal(SIGPIPE, SIG_IGN);

    static struct receiver rcv;
    if (have_listen)
        receiver_listen(&rcv, "--listen", &listen_ep);

    int64_t t0 = now_ns();
    struct ticker tk;
    ticker_init(&tk, t0);
    out("MIGOV phased ready phases=%d loop=%d", nphases, loop);
    int idx = 0;
    int64_t phase_end = t0 + (int64_t)phases[0].dur * NS_PER_SEC;
    int64_t end = seconds ? t0 + (int64_t)seconds * NS_PER_SEC : INT64_MAX;
    atomic_store(&cur, 0);
    atomic_store(&seq, 1);
    out("MIGOV phased phase=0 name=%s", phases[0].name);
    start_thread(cpu_main, NULL);
    start_thread(mem_main, NULL);
    if (have_peer)
        start_thread(out_main, NULL);
    if (have_listen)
        start_thread(in_main, &rcv);

    for (;;) {
        int64_t now = now_ns();
        if (ticker_due(&tk, now)) {
            uint64_t ops = atomic_exchange(&c_pages, 0) + atomic_exchange(&c_units, 0);
            uint64_t in = atomic_exchange(&c_in, 0), outb = atomic_exchange(&c_out, 0);
            out("MIGOV phased t=%" PRIu64 " ops=%" PRIu64 " phase=%s net_in_bytes=%" PRIu64 " net_out_bytes=%" PRIu64,
                tk.t, ops, phases[idx].name, in, outb);
        }
        if (now >= end)
            break;
        if (now >= phase_end) {
            if (++idx == nphases) {
                if (!loop) {
                    out("MIGOV phased done t=%" PRIu64, (uint64_t)((now - t0) / NS_PER_SEC));
                    break;
                }
                idx = 0;
            }
            /* Phases follow each other on the planned grid, not on wake-up times, so they do not drift. */
            phase_end += (int64_t)phases[idx].dur * NS_PER_SEC;
            atomic_store(&cur, idx);
            atomic_fetch_add(&seq, 1);
            out("MIGOV phased phase=%d name=%s", idx, phases[idx].name);
            continue;
        }
        int64_t wake = tk.next < phase_end ? tk.next : phase_end;
        sleep_until(wake < end ? wake : end);
    }
    atomic_store(&cur, STOPPED);
    return 0;
}
