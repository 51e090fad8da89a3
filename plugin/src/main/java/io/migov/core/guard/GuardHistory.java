// SPDX-License-Identifier: Apache-2.0
package io.migov.core.guard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last minute of one migration's job readings, with what KubeVirt's budget check keeps: the EWMA of
 * QEMU's transfer rate and the bytes remaining at the start of the current pass. One per migration,
 * fed every reading the policy gets; not thread-safe (guarded by its VM, like the watch).
 */
public final class GuardHistory {

    static final long WINDOW_MILLIS = 60_000;
    /** KubeVirt's weight of a new rate sample ({@code memBpsEWMA = 0.4·new + 0.6·old}). */
    static final double EWMA_WEIGHT = 0.4;

    private final ArrayDeque<GuardReading> readings = new ArrayDeque<>();
    private double ewmaBytesPerSecond = -1;
    private long remainingAtPassStart = -1;
    private int lastIteration;

    /** Adds a reading; one not newer than the last (an event and a tick reading the same moment) is ignored. */
    public void add(GuardReading r) {
        GuardReading last = readings.peekLast();
        if (last != null && r.elapsedMillis() <= last.elapsedMillis()) {
            return;
        }
        readings.addLast(r);
        while (readings.peekFirst().elapsedMillis() < r.elapsedMillis() - WINDOW_MILLIS) {
            readings.removeFirst();
        }
        if (r.iteration() > lastIteration) {
            lastIteration = r.iteration();
            remainingAtPassStart = r.remainingBytes();
        }
        if (r.rateBytesPerSecond() >= 0) {
            ewmaBytesPerSecond = ewmaBytesPerSecond < 0 ? r.rateBytesPerSecond()
                    : EWMA_WEIGHT * r.rateBytesPerSecond() + (1 - EWMA_WEIGHT) * ewmaBytesPerSecond;
        }
    }

    /** Oldest first, at most the last minute. */
    public List<GuardReading> readings() {
        return new ArrayList<>(readings);
    }

    /** The EWMA of QEMU's transfer rate, bytes/s; -1 while libvirt reported none. */
    public double ewmaBytesPerSecond() {
        return ewmaBytesPerSecond;
    }

    /** The bytes remaining when the current pass began; -1 before a pass was seen. */
    public long remainingAtPassStart() {
        return remainingAtPassStart;
    }

    public boolean isEmpty() {
        return readings.isEmpty();
    }
}
