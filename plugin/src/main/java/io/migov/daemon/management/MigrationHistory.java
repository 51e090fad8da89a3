// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.governor.MigrationRecord;
import io.migov.governor.MigrationRecordSink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@link #capacity()} finished migrations, newest first, for the management plane: a
 * decorator of the record sink, so it sees exactly what goes to {@code migrations.jsonl} (even
 * when writing the file fails).
 */
public final class MigrationHistory {

    /** How many migrations the Migrations MBean keeps. */
    public static final int DEFAULT_CAPACITY = 50;

    private final int capacity;
    private final Deque<MigrationRecord> records = new ArrayDeque<>();
    private long total;

    public MigrationHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected ≥ 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    public MigrationRecordSink recording(MigrationRecordSink sink) {
        return record -> {
            add(record);
            sink.write(record);
        };
    }

    synchronized void add(MigrationRecord record) {
        records.addFirst(record);
        total++;
        while (records.size() > capacity) {
            records.removeLast();
        }
    }

    /** Newest first. */
    public synchronized List<MigrationRecord> records() {
        return new ArrayList<>(records);
    }

    public int capacity() {
        return capacity;
    }

    /** Migrations recorded since the daemon started (the history holds the last {@link #capacity()}). */
    public synchronized long total() {
        return total;
    }
}
