// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import java.util.ArrayList;
import java.util.List;

/**
 * A storage migration's per-step points for its record and plot, bounded: past {@link #MAX_POINTS}
 * every other point is dropped and from then on only every 2nd (then 4th, …) step is kept, so a
 * copy throttled for hours still makes a record of bounded size with its whole shape. Not
 * thread-safe.
 */
public final class StorageSeries {

    public static final int MAX_POINTS = 600;

    private final List<MigrationRecord.StoragePoint> points = new ArrayList<>();
    private long stride = 1;
    private long offered;

    public void add(MigrationRecord.StoragePoint point) {
        if (offered++ % stride != 0) {
            return;
        }
        points.add(point);
        if (points.size() >= MAX_POINTS) {
            List<MigrationRecord.StoragePoint> kept = new ArrayList<>(MAX_POINTS / 2 + 1);
            for (int i = 0; i < points.size(); i += 2) {
                kept.add(points.get(i));
            }
            points.clear();
            points.addAll(kept);
            stride *= 2;
        }
    }

    public List<MigrationRecord.StoragePoint> points() {
        return List.copyOf(points);
    }
}
