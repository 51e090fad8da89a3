// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The bench's ten workloads on a 512 MiB guest (the migration starts after a 20 s warm-up), with
 * the rates a TCG guest achieves rather than the ones it asks for: the heavy writer asks for
 * 200,000 pages/s and gets ≈ 64,000 (≈ 250 MiB/s dirtied against 100 MiB/s sent; the lab facts in testbed/README.md:
 * remaining stays ≈ 250 MiB every pass). Network load is a share of a 1 Gbit/s link (the daemon's
 * default link capacity): 40 MiB/s ≈ 33.6 %.
 */
public final class BuiltInWorkloads {

    public static final double MEMORY_MIB = 512;
    /** Achievable dirty rate of a writer going flat out on the lab's TCG guests, pages/s. */
    public static final double HEAVY_PAGES_PER_SECOND = 64_000;
    /** 40 MiB/s as a share of 1 Gbit/s, %. */
    static final double FORTY_MIB_PER_SECOND_PERCENT = 40 * ModelParameters.MIB * 8 / 1e9 * 100;
    /** 40 MiB/s in pages/s: received (or sent) data passes through guest memory. */
    static final double FORTY_MIB_PER_SECOND_PAGES = 40 * 256;
    private static final double START = -Scenario.WARM_UP_SECONDS;
    /** Periodic workloads are written out this far, s (post-copy may outlast the timeout). */
    private static final double HORIZON_SECONDS = 900;

    private BuiltInWorkloads() {
    }

    public static List<Workload> all() {
        return List.of(
                steady("idle", 0, 0, 0, 1),
                steady("light", 500, 32, 0, 5),
                steady("medium", 8_000, 128, 0, 20),
                steady("heavy", HEAVY_PAGES_PER_SECOND, 256, 0, 100),
                // a 384 MiB data set read all the time, rarely written: pre-copy's best case, post-copy's worst
                steady("readmostly", 200, 384, 20_000, 100),
                bursty(),
                // holds 256 MiB without writing until 1 s into the migration (inside pass 1, which has that
                // data to send), then writes it flat out
                new Workload("latewriter", MEMORY_MIB, List.of(new Phase(START, 0, 256, 0, 1, 0, 0),
                        new Phase(1, HEAVY_PAGES_PER_SECOND, 256, 0, 100, 0, 0))),
                // heavy for 10 s ending 10 s before the migration, then holds its 256 MiB without touching it
                new Workload("quiet", MEMORY_MIB, List.of(new Phase(START, HEAVY_PAGES_PER_SECOND, 256, 0, 100, 0, 0),
                        new Phase(-10, 0, 256, 0, 1, 0, 0))),
                // light memory, plus the received bytes written into recycled socket buffers
                new Workload("netin", MEMORY_MIB, List.of(new Phase(START, 500 + FORTY_MIB_PER_SECOND_PAGES, 32, 0, 20,
                        FORTY_MIB_PER_SECOND_PERCENT, 0))),
                // light memory, plus the sent bytes read from the application and copied into socket buffers
                new Workload("netout", MEMORY_MIB, List.of(new Phase(START, 500 + FORTY_MIB_PER_SECOND_PAGES, 32,
                        FORTY_MIB_PER_SECOND_PAGES, 20, 0, FORTY_MIB_PER_SECOND_PERCENT))));
    }

    public static List<Scenario> scenarios() {
        return scenarios(Scenario.Signal.DEFAULT);
    }

    public static List<Scenario> scenarios(Scenario.Signal signal) {
        return all().stream().map(w -> Scenario.of(w, signal)).toList();
    }

    private static Workload steady(String name, double dirty, double workingSetMiB, double read, double cpu) {
        return new Workload(name, MEMORY_MIB, List.of(new Phase(START, dirty, workingSetMiB, read, cpu, 0, 0)));
    }

    /** 256 MiB: 3 s writing flat out, 3 s quiet, from the start of the warm-up on. */
    private static Workload bursty() {
        List<Phase> phases = new ArrayList<>();
        for (double at = START; at < HORIZON_SECONDS; at += 6) {
            phases.add(new Phase(at, HEAVY_PAGES_PER_SECOND, 256, 0, 100, 0, 0));
            phases.add(new Phase(at + 3, 0, 256, 0, 2, 0, 0));
        }
        return new Workload("bursty", MEMORY_MIB, phases);
    }
}
