// SPDX-License-Identifier: Apache-2.0
/* integrity: the "no data lost across migration" proof. Every 8-byte word of the
 * working set is a hash of (page, word, generation); pages are rewritten with the
 * next generation at a paced rate while the whole set is verified continuously.
 * A page that migration lost, sent stale, or misplaced fails the hash. */
#include "common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define FAIL_LINES_PER_SEC 20 /* a lost 256 MiB region must not flood the console */
#define CHUNK 64              /* pages between clock reads */

static uint64_t *mem;
static uint32_t *gens; /* kept apart from the pages so a corrupt page cannot fake its own generation */
static size_t npages;
static uint64_t salt; /* per run, so leftover memory from anything else never matches */
static uint64_t verified, failures, written;
static unsigned fail_lines;

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* mix64 is a bijection, so distinct (page, gen) pairs get distinct seeds. */
static inline uint64_t page_seed(size_t p, uint32_t gen)
{
    return mix64(((uint64_t)p << 32 | gen) ^ salt);
}

static void write_page(size_t p)
{
    uint32_t gen = ++gens[p];
    uint64_t seed = page_seed(p, gen), *w = mem + p * WORDS_PER_PAGE;
    for (unsigned i = 0; i < WORDS_PER_PAGE; i++)
        w[i] = mix64(seed + i);
    written++;
}

static void verify_page(size_t p)
{
    uint64_t seed = page_seed(p, gens[p]), *w = mem + p * WORDS_PER_PAGE;
    verified++;
    for (unsigned i = 0; i < WORDS_PER_PAGE; i++) {
        uint64_t want = mix64(seed + i);
        if (w[i] == want)
            continue;
        failures++;
        if (fail_lines++ < FAIL_LINES_PER_SEC)
            out("MIGOV INTEGRITY FAIL page=%zu word=%u expected=0x%016" PRIx64 " got=0x%016" PRIx64, p, i, want,
                w[i]);
        /* Repair with a fresh generation: one corruption is counted once, not once per pass. */
        write_page(p);
        return;
    }
}

static void usage(void)
{
    out("usage: integrity --mib N [--pages-per-sec R] [--verify-pages-per-sec V] [--seconds S]\n"
        "                 [--inject-fault-after-sec F]\n"
        "  R: pages rewritten per second (default 1000, 0 = as fast as possible)\n"
        "  V: pages verified per second besides those rewritten (default 0 = continuously)\n"
        "  S=0 (default) runs forever; F flips one byte after F seconds (self-test)");
}

int main(int argc, char **argv)
{
    prog = "integrity";
    uint64_t mib = 0, rate = 1000, vrate = 0, seconds = 0, inject_after = 0;
    int inject = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (take_flag(argc, argv, &i, "--mib", &v)) {
            mib = parse_uint("--mib", v, 1, 1 << 20);
        } else if (take_flag(argc, argv, &i, "--pages-per-sec", &v)) {
            rate = parse_uint("--pages-per-sec", v, 0, 100000000);
        } else if (take_flag(argc, argv, &i, "--verify-pages-per-sec", &v)) {
            vrate = parse_uint("--verify-pages-per-sec", v, 0, 100000000);
        } else if (take_flag(argc, argv, &i, "--seconds", &v)) {
            seconds = parse_uint("--seconds", v, 0, MAX_SECONDS);
        } else if (take_flag(argc, argv, &i, "--inject-fault-after-sec", &v)) {
            inject_after = parse_uint("--inject-fault-after-sec", v, 0, MAX_SECONDS);
            inject = 1;
        } else {
            bad_arg("unknown argument '%s' (see --help)", argv[i]);
        }
    }
    if (!mib)
        bad_arg("--mib is required");

    npages = (size_t)mib * 1024 * 1024 / PAGE_BYTES;
    mem = mmap(NULL, npages * PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    gens = calloc(npages, sizeof *gens);
    if (mem == MAP_FAILED || !gens)
        fatal("--mib: cannot allocate %" PRIu64 " MiB: %s", mib, strerror(errno));
    salt = mix64((uint64_t)now_ns());
    for (size_t p = 0; p < npages; p++)
        write_page(p);

    int64_t t0 = now_ns();
    struct ticker tk;
    struct pacer pw, pv;
    ticker_init(&tk, t0);
    pacer_init(&pw, (double)rate, t0);
    pacer_init(&pv, (double)vrate, t0);
    out("MIGOV integrity ready ws_mib=%" PRIu64 " pages=%zu pages_per_sec=%" PRIu64 " verify_pages_per_sec=%" PRIu64,
        mib, npages, rate, vrate);

    size_t wcur = 0, vcur = 0;
    uint64_t ops_mark = verified + written; /* the initial fill is setup, not work */
    int64_t slice = t0;
    for (;;) {
        int64_t now = now_ns();
        if (ticker_due(&tk, now)) {
            uint64_t ops = verified + written;
            out("MIGOV integrity t=%" PRIu64 " ops=%" PRIu64 " verified_pages=%" PRIu64 " failures=%" PRIu64, tk.t,
                ops - ops_mark, verified, failures);
            ops_mark = ops;
            fail_lines = 0;
            if (seconds && tk.t >= seconds)
                return failures ? 1 : 0;
        }
        if (inject && now >= t0 + (int64_t)inject_after * NS_PER_SEC) {
            size_t p = npages / 2;
            ((volatile unsigned char *)(mem + p * WORDS_PER_PAGE + 7))[3] ^= 0x5a;
            out("MIGOV integrity event=fault_injected page=%zu word=7", p);
            inject = 0;
        }
        /* Each page is verified before it is overwritten, so a corruption can
         * never be silently healed by the writer before the verifier sees it. */
        uint64_t nw = CHUNK, nv = CHUNK;
        if (rate) {
            pacer_refill(&pw, now);
            nw = pacer_take(&pw, 16 * CHUNK); /* writes first: the dirty rate is the experiment's input */
        }
        if (vrate) {
            pacer_refill(&pv, now);
            nv = pacer_take(&pv, CHUNK);
        }
        for (uint64_t k = 0; k < nw; k++) {
            verify_page(wcur);
            write_page(wcur);
            if (++wcur == npages)
                wcur = 0;
        }
        for (uint64_t k = 0; k < nv; k++) {
            verify_page(vcur);
            if (++vcur == npages)
                vcur = 0;
        }
        /* Only when both activities are paced and out of budget is there time to sleep. */
        if (rate && vrate && nw < CHUNK && nv < CHUNK) {
            slice += 10 * NS_PER_MS;
            if (slice < now)
                slice = now + 10 * NS_PER_MS;
            sleep_until(slice < tk.next ? slice : tk.next);
        }
    }
}
