// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

/**
 * Every parameter of the transfer model, with its unit and default (docs/evaluation/simulate.md
 * explains each). The defaults are the lab's: a 100 MiB/s cap (≈ 1 GbE), QEMU's 300 ms downtime
 * limit, and guest constants calibrated so that an idle 512 MiB guest migrates in ≈ 1.2 s with a
 * few hundred post-copy page requests, as measured (testbed/README.md, Lab facts).
 *
 * @param stepMillis                 time step of the simulation, ms (1..100, default 10)
 * @param pageSizeBytes              guest page size, bytes (default 4096)
 * @param bandwidthBytesPerSecond    the migration's bandwidth cap, bytes/s (default 100 MiB/s)
 * @param downtimeLimitMillis        QEMU's maximum downtime when the migration starts, ms (default 300)
 * @param zeroPageCost               time to send a zero page, as a share of a full page's (0..1,
 *                                   default 0.05: QEMU scans the page and sends a header only)
 * @param guestBaseMiB               memory the guest OS itself keeps non-zero (kernel, page cache,
 *                                   init), MiB (default 96)
 * @param osHotMiB                   part of it the OS keeps touching while "idle", MiB (default 16)
 * @param osReadPagesPerSecond       OS reads over its hot set, pages/s (default 1000)
 * @param osDirtyPagesPerSecond      OS writes over its hot set, pages/s (default 25)
 * @param switchoverMillis           fixed part of a pre-copy stop-and-copy (device state, the
 *                                   switchover handshake), ms (default 20)
 * @param postcopySwitchMillis       the pause when post-copy starts (device state), ms (default 5)
 * @param faultLatencyMicros         round trip of one post-copy page request; the faulting vCPU
 *                                   waits for it, µs (default 1000)
 * @param postcopyRefusalMillis      libvirt refuses a switch to post-copy this long after the job
 *                                   starts; a switch asked earlier is carried out then, ms (default 500)
 * @param pollMillis                 the daemon's poll between pass boundaries, ms (default 1000)
 * @param timeoutMillis              a pre-copy migration still running then is aborted and not
 *                                   completed, as the bench does, ms (default 90000)
 * @param postCopyPermitted          whether migrations are started with post-copy permitted
 *                                   (default true; false: libvirt refuses every switch)
 */
public record ModelParameters(int stepMillis, int pageSizeBytes, double bandwidthBytesPerSecond, long downtimeLimitMillis,
                              double zeroPageCost, double guestBaseMiB, double osHotMiB, double osReadPagesPerSecond,
                              double osDirtyPagesPerSecond, long switchoverMillis, long postcopySwitchMillis, long faultLatencyMicros,
                              long postcopyRefusalMillis, long pollMillis, long timeoutMillis, boolean postCopyPermitted) {

    static final double MIB = 1024.0 * 1024.0;

    public static final ModelParameters DEFAULTS = new ModelParameters(10, 4096, 100 * MIB, 300, 0.05, 96, 16, 1000, 25, 20, 5, 1000,
            500, 1000, 90_000, true);

    public ModelParameters {
        require(stepMillis >= 1 && stepMillis <= 100, "stepMillis", "1..100", stepMillis);
        require(pageSizeBytes >= 512 && Integer.bitCount(pageSizeBytes) == 1, "pageSizeBytes", "a power of two ≥ 512", pageSizeBytes);
        require(bandwidthBytesPerSecond > 0 && Double.isFinite(bandwidthBytesPerSecond), "bandwidth", "a finite value > 0 bytes/s",
                bandwidthBytesPerSecond);
        require(downtimeLimitMillis >= 1 && downtimeLimitMillis <= 2_000_000, "downtimeLimitMillis", "1..2000000 (QEMU's range)",
                downtimeLimitMillis);
        require(zeroPageCost >= 0 && zeroPageCost < 1, "zeroPageCost", "[0, 1)", zeroPageCost);
        require(guestBaseMiB >= 0 && Double.isFinite(guestBaseMiB), "guestBaseMiB", "a finite value ≥ 0", guestBaseMiB);
        require(osHotMiB >= 0 && osHotMiB <= guestBaseMiB, "osHotMiB", "0..guestBaseMiB (" + guestBaseMiB + ")", osHotMiB);
        require(osReadPagesPerSecond >= 0 && Double.isFinite(osReadPagesPerSecond), "osReadPagesPerSecond", "a finite value ≥ 0",
                osReadPagesPerSecond);
        require(osDirtyPagesPerSecond >= 0 && Double.isFinite(osDirtyPagesPerSecond), "osDirtyPagesPerSecond", "a finite value ≥ 0",
                osDirtyPagesPerSecond);
        require(switchoverMillis >= 0, "switchoverMillis", "≥ 0", switchoverMillis);
        require(postcopySwitchMillis >= 0, "postcopySwitchMillis", "≥ 0", postcopySwitchMillis);
        require(faultLatencyMicros >= 0 && faultLatencyMicros <= 10_000_000, "faultLatencyMicros", "0..10000000", faultLatencyMicros);
        require(postcopyRefusalMillis >= 0, "postcopyRefusalMillis", "≥ 0", postcopyRefusalMillis);
        require(pollMillis >= stepMillis, "pollMillis", "≥ stepMillis (" + stepMillis + ")", pollMillis);
        require(timeoutMillis >= stepMillis && timeoutMillis <= 86_400_000L, "timeoutMillis", stepMillis + "..86400000", timeoutMillis);
    }

    private static void require(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected " + expected + ", got " + got);
        }
    }

    public ModelParameters withBandwidthBytesPerSecond(double bytesPerSecond) {
        return new ModelParameters(stepMillis, pageSizeBytes, bytesPerSecond, downtimeLimitMillis, zeroPageCost, guestBaseMiB, osHotMiB,
                osReadPagesPerSecond, osDirtyPagesPerSecond, switchoverMillis, postcopySwitchMillis, faultLatencyMicros,
                postcopyRefusalMillis, pollMillis, timeoutMillis, postCopyPermitted);
    }

    public ModelParameters withDowntimeLimitMillis(long millis) {
        return new ModelParameters(stepMillis, pageSizeBytes, bandwidthBytesPerSecond, millis, zeroPageCost, guestBaseMiB, osHotMiB,
                osReadPagesPerSecond, osDirtyPagesPerSecond, switchoverMillis, postcopySwitchMillis, faultLatencyMicros,
                postcopyRefusalMillis, pollMillis, timeoutMillis, postCopyPermitted);
    }

    public ModelParameters withFaultLatencyMicros(long micros) {
        return new ModelParameters(stepMillis, pageSizeBytes, bandwidthBytesPerSecond, downtimeLimitMillis, zeroPageCost, guestBaseMiB,
                osHotMiB, osReadPagesPerSecond, osDirtyPagesPerSecond, switchoverMillis, postcopySwitchMillis, micros,
                postcopyRefusalMillis, pollMillis, timeoutMillis, postCopyPermitted);
    }

    public ModelParameters withTimeoutMillis(long millis) {
        return new ModelParameters(stepMillis, pageSizeBytes, bandwidthBytesPerSecond, downtimeLimitMillis, zeroPageCost, guestBaseMiB,
                osHotMiB, osReadPagesPerSecond, osDirtyPagesPerSecond, switchoverMillis, postcopySwitchMillis, faultLatencyMicros,
                postcopyRefusalMillis, pollMillis, millis, postCopyPermitted);
    }

    public ModelParameters withPostCopyPermitted(boolean permitted) {
        return new ModelParameters(stepMillis, pageSizeBytes, bandwidthBytesPerSecond, downtimeLimitMillis, zeroPageCost, guestBaseMiB,
                osHotMiB, osReadPagesPerSecond, osDirtyPagesPerSecond, switchoverMillis, postcopySwitchMillis, faultLatencyMicros,
                postcopyRefusalMillis, pollMillis, timeoutMillis, permitted);
    }

    double pagesPerMiB() {
        return MIB / pageSizeBytes;
    }
}
