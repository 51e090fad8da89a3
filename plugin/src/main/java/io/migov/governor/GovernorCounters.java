// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import java.util.concurrent.atomic.AtomicLong;

/** The governor's counters, shared by profiling and steering; read through {@link GovernorStats}. */
final class GovernorCounters {
    final AtomicLong ticks = new AtomicLong();
    final AtomicLong missedTicks = new AtomicLong();
    final AtomicLong migrationsSeen = new AtomicLong();
    final AtomicLong migrationsSteered = new AtomicLong();
    final AtomicLong switches = new AtomicLong();
    final AtomicLong fallbacks = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong postcopyFailures = new AtomicLong();
}
