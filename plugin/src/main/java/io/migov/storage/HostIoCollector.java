// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.DiskCounters;
import io.migov.core.storage.DiskStats;
import io.migov.core.storage.HostIoSample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The host I/O collector: each {@link #poll()} reads {@code /proc/diskstats} (only that: no libvirt
 * call, so it never waits for a migration's job lock or the profiler tick) and turns the device's
 * counters since the previous poll into a {@link HostIoSample}, kept in a small ring. Per-VM block
 * statistics are not collected: the bulk statistics call does not carry the block group (see
 * docs/storage/lever.md). Polled by one thread (the storage steering thread), read by the views.
 */
public final class HostIoCollector {

    /** A minute of samples at one per second: enough for the views and the hysteresis' longest sensible run. */
    public static final int DEFAULT_CAPACITY = 60;

    /** Reads the text of /proc/diskstats (a fake in tests). */
    @FunctionalInterface
    public interface Source {
        List<DiskCounters> read() throws IOException;
    }

    /** One sample and when it was taken. */
    public record Timed(long nanos, HostIoSample sample) {
    }

    private final String device;
    private final Source source;
    private final LongSupplier tickerNanos;
    private final int capacity;
    private final ArrayDeque<Timed> ring;
    private DiskCounters previous;
    private long previousNanos;
    private long polls;
    private long failures;
    private String lastProblem = "";

    public HostIoCollector(String device, Source source, LongSupplier tickerNanos, int capacity) {
        this.device = Objects.requireNonNull(device, "device");
        this.source = Objects.requireNonNull(source, "source");
        this.tickerNanos = Objects.requireNonNull(tickerNanos, "tickerNanos");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected ≥ 1, got " + capacity);
        }
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    /** The collector of the real /proc/diskstats. */
    public static HostIoCollector proc(String device, LongSupplier tickerNanos) {
        return new HostIoCollector(device, () -> ProcDiskStats.read(ProcDiskStats.PATH), tickerNanos, DEFAULT_CAPACITY);
    }

    /**
     * Reads the counters once. Returns the sample of the interval since the previous successful
     * read, or empty on the first read, when the device is missing or the file cannot be read (the
     * reason is {@link #lastProblem()}; the next read starts a new interval).
     */
    public synchronized Optional<HostIoSample> poll() {
        polls++;
        long now = tickerNanos.getAsLong();
        Optional<DiskCounters> counters;
        try {
            counters = DiskStats.find(source.read(), device);
        } catch (IOException | IllegalArgumentException e) {
            return fail("cannot read /proc/diskstats: " + e.getMessage());
        }
        if (counters.isEmpty()) {
            return fail("device " + device + " is not in /proc/diskstats");
        }
        DiskCounters before = previous;
        long beforeNanos = previousNanos;
        previous = counters.get();
        previousNanos = now;
        lastProblem = "";
        long elapsedMillis = (now - beforeNanos) / 1_000_000L;
        if (before == null || elapsedMillis < 1) {
            return Optional.empty();
        }
        HostIoSample sample = DiskStats.sample(before, counters.get(), elapsedMillis);
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(new Timed(now, sample));
        return Optional.of(sample);
    }

    private Optional<HostIoSample> fail(String problem) {
        failures++;
        lastProblem = problem;
        previous = null;
        return Optional.empty();
    }

    public String device() {
        return device;
    }

    /** The samples kept, oldest first. */
    public synchronized List<Timed> samples() {
        return List.copyOf(ring);
    }

    public synchronized Optional<Timed> last() {
        return Optional.ofNullable(ring.peekLast());
    }

    public synchronized long polls() {
        return polls;
    }

    public synchronized long failures() {
        return failures;
    }

    /** Why the last poll gave no sample ("" when it gave one or was the first). */
    public synchronized String lastProblem() {
        return lastProblem;
    }
}
