// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.core.storage.DiskCounters;
import io.migov.core.storage.HostIoSample;
import io.migov.core.storage.InterferenceModel;
import io.migov.core.storage.InterferenceModelCodec;
import io.migov.daemon.Daemon;
import io.migov.daemon.DaemonConfig;
import io.migov.daemon.management.ManagementPlane;
import io.migov.port.StorageCopy;
import io.migov.testing.FakeHypervisor;
import io.migov.testing.NoStorageCopies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11's target: {@code migov train} on another labelled set gives a model the running daemon
 * loads and uses without a restart ({@code reloadConfig} over JMX). Two labelled sets that disagree
 * on purpose — in one a busy device (many IOPS) is interference, in the other a quiet one — so the
 * daemon's probability for the same host second flips when the model is swapped.
 */
class TrainReloadTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private final AtomicLong reads = new AtomicLong();

    /** Seconds at 50..15000 IOPS; label 1 where {@code busyIsInterference} says so. */
    private Path labelled(String name, boolean busyIsInterference, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label\n");
        for (int t = 0; t < 400; t++) {
            boolean busy = r.nextBoolean();
            double iops = busy ? 8000 + r.nextInt(7000) : 50 + r.nextInt(500);
            double ticks = busy ? 700 + r.nextInt(300) : 20 + r.nextInt(200);
            double throughput = iops * 4096 * (0.8 + 0.4 * r.nextDouble());
            b.append(t).append(',').append((long) iops).append(',').append((long) ticks).append(',').append((long) throughput)
                    .append(',').append(ticks / 10).append(',').append(busy == busyIsInterference ? 1 : 0).append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, b.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private static final StorageCopy NO_COPIES = NoStorageCopies.INSTANCE;

    @Test
    void reloadConfig_modelTrainedOnAnotherSet_isLoadedAndUsedWithoutARestart() throws Exception {
        Path busyModel = dir.resolve("busy.json");
        Path quietModel = dir.resolve("quiet.json");
        assertEquals(0, CliRun.of("train", "--samples", labelled("busy.csv", true, 1).toString(), "--out", busyModel.toString()).exit());
        assertEquals(0, CliRun.of("train", "--samples", labelled("quiet.csv", false, 2).toString(), "--out", quietModel.toString()).exit());

        Path config = dir.resolve("migov.json");
        Files.writeString(config, "{\"storageDevice\": \"sda\", \"interferenceModel\": \"" + busyModel + "\"}");
        DaemonConfig.Overrides overrides = new DaemonConfig.Overrides("test:///default", dir.resolve("state").toString(), "advise");
        // a busy device: 10 000 reads and 40 MiB a second, busy 900 ms of each
        Daemon daemon = Daemon.builder().config(DaemonConfig.load(config, overrides)).version("migov test").hypervisors(FakeHypervisor::new)
                .storageCopies(h -> NO_COPIES).reloadFrom(config, overrides)
                .diskStats(() -> {
                    long n = reads.incrementAndGet();
                    return List.of(new DiskCounters("sda", n * 10_000, n * 40 * MIB / 512, 0, 0, n * 900));
                }).start();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            HostIoSample sample = awaitSample(daemon);
            InterferenceModel busy = InterferenceModelCodec.decode(Files.readString(busyModel));
            InterferenceModel quiet = InterferenceModelCodec.decode(Files.readString(quietModel));
            assertTrue(busy.probability(sample) > 0.9 && quiet.probability(sample) < 0.1,
                    "the two models disagree on this second: " + busy.probability(sample) + " / " + quiet.probability(sample));
            double before = awaitProbability(server, p -> p > 0.9);
            assertTrue(before > 0.9, "classified by the busy-trained model: " + before);

            Files.writeString(config, "{\"storageDevice\": \"sda\", \"interferenceModel\": \"" + quietModel + "\"}");
            String result = (String) server.invoke(ManagementPlane.TUNABLES, "reloadConfig", new Object[0], new String[0]);
            assertTrue(result.contains("interferenceModel"), result);
            double after = awaitProbability(server, p -> p < 0.1);
            assertTrue(after < 0.1, "the next seconds are classified by the quiet-trained model, same daemon: " + after);
        } finally {
            daemon.stop();
        }
    }

    private static HostIoSample awaitSample(Daemon daemon) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            var s = daemon.storage().orElseThrow().lastSample();
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no host I/O sample within 5 s");
    }

    /** The Storage MBean's probability once it satisfies {@code wanted} (or whatever it says after 5 s). */
    private static double awaitProbability(MBeanServer server, java.util.function.DoublePredicate wanted) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        double p = Double.NaN;
        while (System.nanoTime() < deadline) {
            p = (Double) server.getAttribute(ManagementPlane.STORAGE, "Probability");
            if (wanted.test(p)) {
                return p;
            }
            Thread.sleep(50);
        }
        return p;
    }
}
