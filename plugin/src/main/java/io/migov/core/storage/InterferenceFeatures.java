// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

import java.util.List;

/**
 * The research's five features of a {@link HostIoSample}, in the units its published coefficients
 * were fitted in (derivation: {@code docs/storage/interference-model.md}):
 * <ol>
 *   <li>{@code iops²}: (operations/s)²</li>
 *   <li>{@code ln(iops)}: natural log of operations/s, floored at 1 op/s</li>
 *   <li>{@code io_ticks_s²}: (seconds busy per second)², i.e. io ticks ms/s ÷ 1000, squared</li>
 *   <li>{@code ln(throughput_mib_per_s)}: natural log of MiB/s, floored at 1 KiB/s</li>
 *   <li>{@code util_pct²}: (percent)²</li>
 * </ol>
 * The floors keep an idle second finite and make it look idle: a lower IOPS floor would reward
 * "fewer requests" without end, and at the throughput floor the log term is already −6.9.
 * Changing a unit or a floor changes what every stored model means: that is a new model version.
 */
public final class InterferenceFeatures {

    public static final int COUNT = 5;
    public static final List<String> NAMES = List.of("iops^2", "ln(iops)", "io_ticks_s^2", "ln(throughput_mib_per_s)", "util_pct^2");

    static final double IOPS_FLOOR = 1.0;
    static final double THROUGHPUT_FLOOR_MIB_PER_SECOND = 1.0 / 1024.0;
    private static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private InterferenceFeatures() {
    }

    public static double[] of(HostIoSample s) {
        double ioTicksSecondsPerSecond = s.ioTicksMillisPerSecond() / 1000.0;
        double throughputMibPerSecond = s.throughputBytesPerSecond() / BYTES_PER_MIB;
        return new double[] {
                s.iops() * s.iops(),
                Math.log(Math.max(s.iops(), IOPS_FLOOR)),
                ioTicksSecondsPerSecond * ioTicksSecondsPerSecond,
                Math.log(Math.max(throughputMibPerSecond, THROUGHPUT_FLOOR_MIB_PER_SECOND)),
                s.utilPercent() * s.utilPercent()};
    }
}
