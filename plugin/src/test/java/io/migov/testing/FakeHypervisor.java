// SPDX-License-Identifier: Apache-2.0
package io.migov.testing;

import io.migov.port.DirtyRate;
import io.migov.port.DomainState;
import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one in-memory hypervisor of the unit tests: domains, jobs and metadata are set by the test,
 * every action is recorded in {@link #calls}. Thread-safe, since the daemon tests tick it from
 * scheduler threads.
 */
public final class FakeHypervisor implements Hypervisor {
    public final Map<String, DomainStats> domains = new ConcurrentHashMap<>();
    public final Map<String, JobStats> jobs = new ConcurrentHashMap<>();
    public final Map<String, String> metadata = new ConcurrentHashMap<>();
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** Dirty-rate calculations (measuring, not acting), kept apart from {@link #calls}. */
    public final List<String> dirtyRateCalls = new CopyOnWriteArrayList<>();
    /** Failures the next startPostCopy calls throw, in order. */
    public final Deque<HypervisorException> startPostCopyFailures = new ConcurrentLinkedDeque<>();
    public final AtomicInteger statsCalls = new AtomicInteger();
    /** virDomainGetJobStats calls, per domain UUID. */
    public final Map<String, AtomicInteger> jobStatsCalls = new ConcurrentHashMap<>();
    /**
     * What virDomainGetState says of a domain, ahead of {@link #domains}: set it for a domain that
     * left the running list but is still defined here (shut off, with its reason). A domain in
     * neither is unknown to libvirt (NO_DOMAIN), like a transient domain that stopped.
     */
    public final Map<String, DomainState> states = new ConcurrentHashMap<>();
    /** virDomainGetState calls, in order (reading, not acting: kept apart from {@link #calls}). */
    public final List<String> domainStateCalls = new CopyOnWriteArrayList<>();
    public volatile long maxDowntimeMillis = 300;
    /** What each domain's dirty-rate calculations measure, MiB/s; a domain not here reports status unstarted. */
    public final Map<String, Long> dirtyRatesMiBPerSecond = new ConcurrentHashMap<>();
    /** Failures the next startDirtyRateCalc calls throw, in order. */
    public final Deque<HypervisorException> dirtyRateCalcFailures = new ConcurrentLinkedDeque<>();
    /** The last calculation started per domain: its QEMU start time (a counter). */
    private final Map<String, Long> calcStarts = new ConcurrentHashMap<>();
    private final AtomicInteger calcClock = new AtomicInteger();
    public volatile HypervisorListener listener;
    public volatile boolean closed;
    private final String uri;

    public FakeHypervisor() {
        this("fake:///system");
    }

    public FakeHypervisor(String uri) {
        this.uri = uri;
    }

    /** virDomainGetJobStats calls for every domain together. */
    public int jobStatsCallCount() {
        return jobStatsCalls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Adds or replaces a running domain's statistics. */
    public void put(DomainStats d) {
        domains.put(d.uuid(), d);
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public boolean connected() {
        return !closed;
    }

    @Override
    public List<DomainStats> runningDomainStats() {
        statsCalls.incrementAndGet();
        List<DomainStats> out = new ArrayList<>(domains.values());
        out.sort(Comparator.comparing(DomainStats::name));
        return out;
    }

    @Override
    public JobStats jobStats(String uuid) throws HypervisorException {
        jobStatsCalls.computeIfAbsent(uuid, u -> new AtomicInteger()).incrementAndGet();
        if (!domains.containsKey(uuid)) {
            throw new HypervisorException(HypervisorException.Kind.NO_DOMAIN, "virDomainGetJobStats", "no domain " + uuid);
        }
        return jobs.getOrDefault(uuid, JobStats.none());
    }

    @Override
    public DomainState domainState(String uuid) throws HypervisorException {
        domainStateCalls.add("domainState " + uuid);
        DomainState set = states.get(uuid);
        if (set != null) {
            return set;
        }
        DomainStats d = domains.get(uuid);
        if (d == null) {
            throw new HypervisorException(HypervisorException.Kind.NO_DOMAIN, "virDomainGetState", "no domain " + uuid);
        }
        return new DomainState(d.running() ? DomainState.RUNNING : DomainState.PAUSED, 1);
    }

    @Override
    public void startPostCopy(String uuid) throws HypervisorException {
        calls.add("startPostCopy " + uuid);
        HypervisorException failure = startPostCopyFailures.poll();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void startDirtyRateCalc(String uuid, int seconds) throws HypervisorException {
        dirtyRateCalls.add("startDirtyRateCalc " + uuid + " " + seconds);
        HypervisorException failure = dirtyRateCalcFailures.poll();
        if (failure != null) {
            throw failure;
        }
        calcStarts.put(uuid, (long) calcClock.incrementAndGet());
    }

    @Override
    public DirtyRate dirtyRate(String uuid) {
        dirtyRateCalls.add("dirtyRate " + uuid);
        Long start = calcStarts.get(uuid);
        Long rate = dirtyRatesMiBPerSecond.get(uuid);
        if (start == null || rate == null) {
            return new DirtyRate(DirtyRate.UNSTARTED, -1, -1, -1);
        }
        return new DirtyRate(DirtyRate.MEASURED, start, 1, rate);
    }

    @Override
    public void abortJob(String uuid) {
        calls.add("abortJob " + uuid);
    }

    @Override
    public long maxDowntimeMillis(String uuid) {
        return maxDowntimeMillis;
    }

    @Override
    public void setMaxDowntimeMillis(String uuid, long downtimeMillis) {
        calls.add("setMaxDowntime " + uuid + " " + downtimeMillis);
        maxDowntimeMillis = downtimeMillis;
    }

    @Override
    public void setMaxSpeedMiBPerSecond(String uuid, long bandwidthMiBPerSecond) {
        calls.add("setMaxSpeed " + uuid + " " + bandwidthMiBPerSecond);
    }

    @Override
    public String metadata(String uuid) {
        return metadata.get(uuid);
    }

    @Override
    public void setMetadata(String uuid, String elementXml) {
        calls.add("setMetadata " + uuid);
        metadata.put(uuid, elementXml);
    }

    @Override
    public void setListener(HypervisorListener l) {
        this.listener = l;
    }

    @Override
    public void close() {
        closed = true;
    }
}
