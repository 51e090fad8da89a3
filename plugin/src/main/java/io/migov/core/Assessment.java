// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The detector's answer after one pass.
 *
 * @param iteration         the pass assessed
 * @param trend             dirty-rate trend alone: DECAYING, NOT_DECAYING or GROWING
 * @param verdict           the trend, unless WILL_COMPLETE or STALLED overrides it
 * @param convergencePoint  the first pass declared STALLED in this migration, if any
 * @param reason            human-readable explanation with the numbers behind it
 */
public record Assessment(int iteration, Verdict trend, Verdict verdict, OptionalInt convergencePoint, String reason) {
    public Assessment {
        Objects.requireNonNull(trend, "trend");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(convergencePoint, "convergencePoint");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean stalled() {
        return verdict == Verdict.STALLED;
    }

    public boolean willComplete() {
        return verdict == Verdict.WILL_COMPLETE;
    }
}
