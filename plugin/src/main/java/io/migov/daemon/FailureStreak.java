// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.slf4j.Logger;

/**
 * Logs a repeating job's failures once per streak, not once per run: the first failure with its
 * stack trace, then nothing until the job succeeds again, which is logged with the streak's length.
 */
final class FailureStreak {

    private final Logger log;
    private final String what;
    private long failures;

    FailureStreak(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** Runs the work, swallowing (and logging) a RuntimeException so the trigger keeps firing. */
    void run(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (failures++ == 0) {
                log.error("{} failed (further failures are not logged until it recovers)", what, e);
            }
            return;
        }
        if (failures > 0) {
            log.warn("{} recovered after {} failed run(s)", what, failures);
            failures = 0;
        }
    }
}
