// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.ByteRange;
import io.migov.core.storage.CopyProgress;
import io.migov.core.storage.HostIoSample;
import io.migov.core.storage.HysteresisSettings;
import io.migov.core.storage.InterferenceHysteresis;
import io.migov.core.storage.InterferencePid;
import io.migov.core.storage.PidSettings;
import io.migov.core.storage.PrefetchPlanner;
import io.migov.core.storage.PrefetchSettings;
import io.migov.core.storage.ReboundCeiling;
import io.migov.governor.MigrationRecord;
import io.migov.governor.StorageSeries;
import io.migov.governor.StorageSettings;
import io.migov.port.HypervisorException;
import io.migov.port.StorageCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Steers the disk copy of one outgoing migration with non-shared storage, one {@link #step} per
 * second: classify the host's I/O second → hysteresis → interference-PID → set the copy speed on
 * every disk being copied (the PID's speed shared evenly); in clearly quiet seconds until interference
 * is first seen, read the next planned range of each disk's source image into the page cache. The decisions are the pure core's
 * ({@code io.migov.core.storage}); this class only feeds it and carries out its output.
 *
 * <p>A change of the hysteresis settings restarts the hysteresis (off, no run); a change of the PID
 * settings restarts the PID from its last speed (bumpless). If libvirt refuses to set the speed
 * (see docs/storage/lever.md: the migration's job may hold the lock the call needs) the controller
 * stops trying for this migration, logs it once and goes on classifying and prefetching.
 * Called from one thread; {@link #view()} and {@link #summary()} may be read from any.
 */
public final class StorageController {

    private static final Logger LOG = LoggerFactory.getLogger(StorageController.class);
    /** A new speed is only set when it differs by at least this share from the last one set (or reaches a limit). */
    static final double SPEED_CHANGE_SHARE = 0.01;
    static final String APPLIED = "applied";
    static final String ADVISE = "advise";
    static final String NO_BLOCK_JOB = "no block job";

    /** A disk being copied and how far the prefetcher has read into it. */
    private static final class CopiedDisk {
        final String target;
        final Path source;
        volatile long frontierBytes;
        long lastSetBytesPerSecond = -1;

        CopiedDisk(String target, Path source) {
            this.target = target;
            this.source = source;
        }
    }

    private final String uuid;
    private final String vm;
    private final String device;
    private final StorageCopy port;
    private final PrefetchReader prefetcher;
    private final List<CopiedDisk> disks;

    private HysteresisSettings hysteresisSettings;
    private InterferenceHysteresis hysteresis;
    private PidSettings pidSettings;
    private InterferencePid pid;
    private PrefetchSettings prefetchSettings;
    private final ReboundCeiling rebound = new ReboundCeiling();
    private PrefetchPlanner planner;
    private String lever;
    private boolean refused;

    private int steps;
    private int interferenceSeconds;
    private double probabilitySum;
    private double maxProbability = Double.NaN;
    private double lastProbability = Double.NaN;
    private double minSpeed = Double.NaN;
    private double lastSpeed = Double.NaN;
    private int bufferedSeconds;
    private double elapsedSeconds;
    private long lastProcessedBytes = -1;
    private final StorageSeries series = new StorageSeries();
    private volatile List<MigrationRecord.StoragePoint> seriesPoints = List.of();
    private int speedSets;
    private final java.util.concurrent.atomic.AtomicLong prefetchedBytes = new java.util.concurrent.atomic.AtomicLong();
    private StorageCopy.DiskCopy lastCopy = StorageCopy.DiskCopy.NONE;
    private volatile StorageView view;
    private volatile MigrationRecord.Storage summary;

    private StorageController(String uuid, String vm, String device, StorageCopy port, PrefetchReader prefetcher, List<CopiedDisk> disks,
                              StorageSettings settings, double initialBytesPerSecond) {
        this.uuid = uuid;
        this.vm = vm;
        this.device = device;
        this.port = port;
        this.prefetcher = prefetcher;
        this.disks = disks;
        this.lever = disks.isEmpty() ? NO_BLOCK_JOB : APPLIED;
        configure(settings, initialBytesPerSecond);
        publish();
    }

    /**
     * A controller for a migration whose job copies disks: finds the disks with a block job (the
     * mirrors) and starts the PID at their current total rate limit, or at the maximum speed when
     * they have none.
     */
    public static StorageController start(String uuid, String vm, String device, StorageCopy port, PrefetchReader prefetcher,
                                          StorageSettings settings) throws HypervisorException {
        List<CopiedDisk> copied = new ArrayList<>();
        long limit = 0;
        for (StorageCopy.Disk d : port.disks(uuid)) {
            StorageCopy.BlockJob job = port.blockJob(uuid, d.target());
            if (job.active()) {
                CopiedDisk c = new CopiedDisk(d.target(), Path.of(d.sourcePath()));
                c.frontierBytes = job.curBytes();
                copied.add(c);
                limit += Math.max(0, job.bandwidthBytesPerSecond());
            }
        }
        PidSettings p = settings.pid();
        double initial = limit > 0 ? Math.max(p.minBytesPerSecond(), Math.min(p.maxBytesPerSecond(), limit)) : p.maxBytesPerSecond();
        LOG.info("{}: storage migration seen: {} disk(s) copied {}, copy speed starts at {} MiB/s", vm, copied.size(),
                copied.stream().map(c -> c.target).toList(), Math.round(initial / 1048576.0));
        return new StorageController(uuid, vm, device, port, prefetcher, copied, settings, initial);
    }

    private void configure(StorageSettings s, double fromBytesPerSecond) {
        if (!s.hysteresis().equals(hysteresisSettings)) {
            hysteresisSettings = s.hysteresis();
            hysteresis = new InterferenceHysteresis(hysteresisSettings);
        }
        if (!s.pid().equals(pidSettings)) {
            pidSettings = s.pid();
            double from = Math.max(pidSettings.minBytesPerSecond(), Math.min(pidSettings.maxBytesPerSecond(), fromBytesPerSecond));
            pid = new InterferencePid(pidSettings, from);
        }
        if (!s.prefetch().equals(prefetchSettings)) {
            prefetchSettings = s.prefetch();
            planner = new PrefetchPlanner(prefetchSettings);
        }
    }

    /**
     * One control step.
     *
     * @param sample      the host's I/O over the last second
     * @param stepSeconds time since the previous step
     * @param settings    the current tunables
     * @param acting      carry the speed out (enforce mode, steering not paused); otherwise only decide
     * @param copy        the job's disk progress (libvirt's disk_* fields)
     */
    public void step(HostIoSample sample, double stepSeconds, StorageSettings settings, boolean acting, StorageCopy.DiskCopy copy) {
        Objects.requireNonNull(sample, "sample");
        configure(settings, pid.outputBytesPerSecond());
        lastCopy = Objects.requireNonNull(copy, "copy");
        double p = settings.model().probability(sample);
        boolean on = hysteresis.observe(p);
        // once a neighbour has shown itself the copy may slow down, sinks in runs of undecided seconds, and rebounds
        // gradually only in clearly quiet ones (ReboundCeiling)
        double ceiling = rebound.next(p, on, hysteresisSettings, pid.outputBytesPerSecond(), stepSeconds,
                pidSettings.minBytesPerSecond(), pidSettings.maxBytesPerSecond());
        double pidSpeed = pid.update(p, stepSeconds, ceiling);
        // one block-job read per disk and step: where the copy is, and how far the prefetch is ahead of it
        StorageCopy.BlockJob[] jobs = new StorageCopy.BlockJob[disks.size()];
        long[] aheadBytes = new long[disks.size()];
        double[] speeds = new double[disks.size()];
        double speed = 0;
        for (int i = 0; i < disks.size(); i++) {
            CopiedDisk d = disks.get(i);
            try {
                jobs[i] = port.blockJob(uuid, d.target);
            } catch (HypervisorException e) {
                jobs[i] = null;
            }
            if (jobs[i] != null && jobs[i].active() && jobs[i].curBytes() <= jobs[i].endBytes()) {
                aheadBytes[i] = Math.max(0, Math.min(d.frontierBytes - jobs[i].curBytes(), jobs[i].endBytes() - jobs[i].curBytes()));
            }
            speeds[i] = PrefetchPlanner.copySpeedBytesPerSecond(pidSpeed / disks.size(), aheadBytes[i], stepSeconds,
                    pidSettings.maxBytesPerSecond() / disks.size());
            speed += speeds[i];
        }
        if (disks.isEmpty()) {
            speed = pidSpeed;
        }
        steps++;
        interferenceSeconds += on ? 1 : 0;
        bufferedSeconds += speed > pidSpeed * (1 + SPEED_CHANGE_SHARE) ? 1 : 0;
        probabilitySum += p;
        maxProbability = Double.isNaN(maxProbability) ? p : Math.max(maxProbability, p);
        lastProbability = p;
        lastSpeed = speed;
        minSpeed = Double.isNaN(minSpeed) ? speed : Math.min(minSpeed, speed);
        if (!disks.isEmpty() && !refused) {
            if (acting) {
                lever = APPLIED;
                apply(speeds, jobs);
            } else {
                lever = ADVISE;
            }
        }
        if (!disks.isEmpty() && acting) {
            // not in advise mode: prefetch reads are an action on the host's disk, and advise touches nothing.
            // Only in clearly quiet seconds (p ≤ the off-probability, hysteresis off): a second that is
            // merely below the on-probability may have a neighbour the prefetch's burst would hurt
            // (lab: p 0.49, then 432 MiB read in one second and the neighbour at p 0.99). And only until a
            // neighbour has shown itself (the rebound ceiling's evidence: one second at or above the
            // on-probability — the hysteresis may never switch on when the PID's first cut makes the
            // next second quiet, lab: p 0.64 then 0.41): the prefetch is for the part of a copy before
            // a neighbour arrives. After that a quiet second only says that the neighbour tolerates the copy at
            // its present speed, not that it is gone, and a read of factor × speed is a burst nothing has
            // probed (lab, neighbour running throughout: in the first quiet second of the rebound 100–300 MiB
            // read, then 3–4 seconds at p 0.55–0.95; once the rebound was back at full speed with the
            // neighbour unhurt, 320 MiB read and the neighbour at p 0.98)
            prefetch(pidSpeed, rebound.interferenceSeen() || p > hysteresisSettings.offProbability(), stepSeconds, jobs, aheadBytes);
        }
        elapsedSeconds += stepSeconds;
        // the copy's own rate from libvirt's progress; what the device did beyond it is the neighbours' I/O
        // (an estimate: prefetch reads and a copy served from the page cache blur it)
        long copyRate = lastProcessedBytes >= 0 && copy.processedBytes() >= lastProcessedBytes
                ? Math.round((copy.processedBytes() - lastProcessedBytes) / stepSeconds) : -1;
        lastProcessedBytes = copy.copying() ? copy.processedBytes() : -1;
        long others = copyRate < 0 ? -1 : Math.max(0, Math.round(sample.throughputBytesPerSecond()) - copyRate);
        series.add(new MigrationRecord.StoragePoint(Math.round(elapsedSeconds * 10) / 10.0, p, on, Math.round(speed), Math.round(pidSpeed),
                sample.iops(), sample.throughputBytesPerSecond(), copyRate, others, lastCopy.remainingBytes(), prefetchedBytes.get()));
        seriesPoints = series.points();
        publish();
    }

    private void apply(double[] speedsBytesPerSecond, StorageCopy.BlockJob[] jobs) {
        double minEach = pidSettings.minBytesPerSecond() / disks.size();
        double maxEach = pidSettings.maxBytesPerSecond() / disks.size();
        for (int i = 0; i < disks.size(); i++) {
            CopiedDisk d = disks.get(i);
            if (jobs[i] == null || !jobs[i].active()) {
                continue; // this disk's mirror is gone (the copy ended, the memory phase goes on): nothing to pace
            }
            long each = Math.max(1, Math.round(speedsBytesPerSecond[i]));
            // a limit is always reached exactly: the last small step to it must not be swallowed
            boolean atLimit = speedsBytesPerSecond[i] <= minEach || speedsBytesPerSecond[i] >= maxEach;
            long change = Math.abs(each - d.lastSetBytesPerSecond);
            if (d.lastSetBytesPerSecond > 0 && (change == 0 || !atLimit && change < SPEED_CHANGE_SHARE * d.lastSetBytesPerSecond)) {
                continue;
            }
            try {
                port.setCopySpeed(uuid, d.target, each);
                d.lastSetBytesPerSecond = each;
                speedSets++;
            } catch (HypervisorException e) {
                if (e.kind() == HypervisorException.Kind.NO_DOMAIN) {
                    return; // the migration ended between the job stats and this call
                }
                refused = true;
                lever = "refused: " + e.getMessage();
                LOG.warn("{}: cannot set the disk copy speed ({}); storage steering only observes this migration from now on",
                        vm, e.getMessage());
                return;
            }
        }
    }

    private void prefetch(double pidBytesPerSecond, boolean held, double stepSeconds, StorageCopy.BlockJob[] jobs,
                          long[] aheadBytes) {
        if (held || prefetchSettings.prefetchFactor() == 0 || prefetchSettings.memoryCapBytes() == 0 || prefetcher.busy()) {
            return;
        }
        double each = pidBytesPerSecond / disks.size();
        for (int i = 0; i < disks.size(); i++) {
            CopiedDisk d = disks.get(i);
            StorageCopy.BlockJob job = jobs[i];
            if (job == null || !job.active() || job.curBytes() > job.endBytes()) {
                continue;
            }
            var range = planner.next(new CopyProgress(job.endBytes(), job.curBytes(), aheadBytes[i]), each, false, stepSeconds);
            if (range.isPresent()) {
                ByteRange r = range.get();
                if (prefetcher.submit(d.source, r, n -> {
                    prefetchedBytes.addAndGet(n);
                    if (n > 0) {
                        d.frontierBytes = Math.max(d.frontierBytes, r.offsetBytes() + n);
                    }
                })) {
                    return; // one read at a time
                }
            }
        }
    }

    private void publish() {
        double speed = Double.isNaN(lastSpeed) ? pid.outputBytesPerSecond() : lastSpeed;
        view = new StorageView(uuid, vm, lastProbability, hysteresis.isOn(), speed, lever, prefetchedBytes.get(),
                lastCopy.totalBytes(), lastCopy.remainingBytes(), steps);
        summary = new MigrationRecord.Storage(device, lastCopy.totalBytes(), lastCopy.remainingBytes(), steps, interferenceSeconds,
                steps == 0 ? null : probabilitySum / steps, steps == 0 ? null : maxProbability, steps == 0 ? -1 : Math.round(speed),
                Double.isNaN(minSpeed) ? -1 : Math.round(minSpeed), speedSets, prefetchedBytes.get(), lever, bufferedSeconds, seriesPoints);
    }

    public String uuid() {
        return uuid;
    }

    public String vm() {
        return vm;
    }

    public StorageView view() {
        StorageView v = view;
        // prefetch completions arrive on the reader's thread between steps
        return new StorageView(v.uuid(), v.vm(), v.probability(), v.interference(), v.speedBytesPerSecond(), v.lever(),
                prefetchedBytes.get(), v.diskTotalBytes(), v.diskRemainingBytes(), v.steps());
    }

    public MigrationRecord.Storage summary() {
        MigrationRecord.Storage s = summary;
        return new MigrationRecord.Storage(s.device(), s.diskTotalBytes(), s.diskRemainingBytes(), s.steps(), s.interferenceSeconds(),
                s.meanProbability(), s.maxProbability(), s.lastSpeedBytesPerSecond(), s.minSpeedBytesPerSecond(), s.speedSets(),
                prefetchedBytes.get(), s.lever(), s.bufferedSeconds(), s.series());
    }
}
