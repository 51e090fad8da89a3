// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.core.Sample;
import io.migov.governor.UsageCalculator;
import io.migov.governor.WriteSampling;
import io.migov.libvirt.LibvirtHypervisor;
import io.migov.port.DirtyRate;
import io.migov.port.DomainStats;
import io.migov.port.HypervisorException;
import io.migov.replay.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code migov record}: samples one domain each second exactly as the daemon's profiler does and
 * writes the trace {@code migov predict} replays, so policies can be evaluated offline.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Record one domain's per-second usage (t,cpu,mem,write,net_in,net_out in percent) as the daemon measures it.")
final class RecordCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--connect", defaultValue = LibvirtHypervisor.DEFAULT_URI, paramLabel = "URI", description = "libvirt URI (default ${DEFAULT-VALUE}).")
    String uri;

    @Option(names = "--domain", required = true, paramLabel = "NAME", description = "Domain name.")
    String domain;

    @Option(names = "--seconds", required = true, paramLabel = "S", description = "Samples to record, 1..86400.")
    int seconds;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Trace file to write (replaced).")
    Path out;

    @Option(names = "--link-capacity-bits-per-second", defaultValue = "1000000000", paramLabel = "BITS",
            description = "Capacity net in/out percentages refer to (default ${DEFAULT-VALUE}).")
    long linkCapacityBitsPerSecond;

    @Option(names = "--dirty-rate-interval-seconds", defaultValue = "10", paramLabel = "S",
            description = "Measure the dirty rate (write) every S seconds, as the daemon's dirtyRateIntervalSeconds; 0 = off (default ${DEFAULT-VALUE}).")
    int dirtyRateIntervalSeconds;

    @Option(names = "--migration-bandwidth-bytes-per-second", defaultValue = "0", paramLabel = "BYTES",
            description = "What write intensity is a share of; 0 = the link capacity / 8 (default ${DEFAULT-VALUE}).")
    long migrationBandwidthBytesPerSecond;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 86_400) {
            throw new BadInputException("--seconds: expected 1..86400, got " + seconds);
        }
        if (linkCapacityBitsPerSecond < 1_000_000L) {
            throw new BadInputException("--link-capacity-bits-per-second: expected ≥ 1000000, got " + linkCapacityBitsPerSecond);
        }
        if (dirtyRateIntervalSeconds != 0 && (dirtyRateIntervalSeconds < 2 || dirtyRateIntervalSeconds > 3600)) {
            throw new BadInputException("--dirty-rate-interval-seconds: expected 0 (off) or 2..3600 (a calculation takes 1 s), got "
                    + dirtyRateIntervalSeconds);
        }
        if (migrationBandwidthBytesPerSecond < 0 || migrationBandwidthBytesPerSecond > 1_000_000_000_000L) {
            throw new BadInputException("--migration-bandwidth-bytes-per-second: expected 0 (the link capacity) or 1..1000000000000, got "
                    + migrationBandwidthBytesPerSecond);
        }
        WriteSampling sampling = new WriteSampling(dirtyRateIntervalSeconds, 1, migrationBandwidthBytesPerSecond);
        double reference = sampling.referenceBytesPerSecond(linkCapacityBitsPerSecond);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (LibvirtHypervisor hv = LibvirtHypervisor.open(uri);
             Trace.Recording w = new Trace.Recording(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
            double writePercent = 0;
            long calcStartedAt = -1;
            long lastCalcStart = -1;
            DomainStats previous = null;
            long previousNanos = 0;
            long start = System.nanoTime();
            int written = 0;
            for (int t = 0; t < seconds; t++) {
                long next = start + (t + 1) * 1_000_000_000L;
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                DomainStats current;
                try {
                    current = find(hv);
                } catch (HypervisorException e) {
                    // libvirt went away (restarted): skip the second; rates need two fresh readings
                    previous = null;
                    continue;
                }
                long now = System.nanoTime();
                // the daemon's write sampling, for one domain: a 1 s calculation every interval, its result held
                if (sampling.enabled()) {
                    try {
                        if (calcStartedAt >= 0 && t - calcStartedAt >= 1) {
                            DirtyRate rate = hv.dirtyRate(current.uuid());
                            if (rate.measured() && rate.calcStartSeconds() > lastCalcStart) {
                                writePercent = Sample.writeIntensityPercent(rate.bytesPerSecond(), reference);
                                lastCalcStart = rate.calcStartSeconds();
                                calcStartedAt = -1;
                            }
                        }
                        if (calcStartedAt < 0 && t % sampling.dirtyRateIntervalSeconds() == 0) {
                            hv.startDirtyRateCalc(current.uuid(), 1);
                            calcStartedAt = t;
                        }
                    } catch (HypervisorException e) {
                        calcStartedAt = -1; // tried again at the next interval
                    }
                }
                if (previous != null) {
                    UsageCalculator.Usage u = UsageCalculator.usage(previous, current, now - previousNanos, linkCapacityBitsPerSecond,
                            writePercent);
                    w.add(t, u.sample(), u.memorySource().name().toLowerCase(Locale.ROOT));
                    written++;
                }
                previous = current;
                previousNanos = now;
            }
            if (written == 0) {
                throw new BadInputException("--domain: no samples of '" + domain + "' could be read from " + uri);
            }
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().println("recorded " + seconds + " s of " + domain + " to " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private DomainStats find(LibvirtHypervisor hv) throws HypervisorException, IOException {
        for (DomainStats d : hv.runningDomainStats()) {
            if (d.name().equals(domain)) {
                return d;
            }
        }
        throw new BadInputException("--domain: no running domain named '" + domain + "' on " + uri);
    }
}
