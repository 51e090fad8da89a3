// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic labelled seconds: host I/O drawn over plausible ranges of a disk-backed host (≤ 300
 * IOPS, 0.01..200 MiB/s), labelled
 * by the research model (label = p ≥ 0.5), optionally with a share of labels flipped as noise.
 */
public final class ResearchSamples {

    private static final double MIB = 1024.0 * 1024.0;

    private ResearchSamples() {
    }

    public static List<LabelledSample> generate(int count, long seed, double flippedShare) {
        Random random = new Random(seed);
        List<LabelledSample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            HostIoSample sample = sample(random);
            boolean label = InterferenceModel.RESEARCH_DEFAULT.probability(sample) >= 0.5;
            if (random.nextDouble() < flippedShare) {
                label = !label;
            }
            out.add(new LabelledSample(sample, label));
        }
        return out;
    }

    public static HostIoSample sample(Random random) {
        // busy seconds are drawn more often than idle ones, so about a third are labelled interference
        double utilPercent = 100 * Math.sqrt(random.nextDouble());
        double iops = 300 * random.nextDouble();
        double throughputMib = Math.exp(Math.log(0.01) + random.nextDouble() * Math.log(200 / 0.01));
        return new HostIoSample(iops, utilPercent * 10, throughputMib * MIB, utilPercent);
    }

    /** One CSV line in the {@code migov train} column order t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label. */
    public static String csvLine(int t, LabelledSample s) {
        HostIoSample h = s.sample();
        return t + "," + h.iops() + "," + h.ioTicksMillisPerSecond() + "," + h.throughputBytesPerSecond() + ","
                + h.utilPercent() + "," + (s.interference() ? 1 : 0);
    }
}
