// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.Objects;

/**
 * One decision of the {@link MigrationController}.
 *
 * @param kind           what to do
 * @param iteration      the pass it was decided at (0 = when the migration was first seen)
 * @param reason         why, for logs and the migration record
 * @param downtimeMillis the new maximum downtime for {@link ActionKind#RAISE_DOWNTIME}, else 0
 */
public record Action(ActionKind kind, int iteration, String reason, long downtimeMillis) {

    public Action {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    public static Action none(int iteration, String reason) {
        return new Action(ActionKind.NONE, iteration, reason, 0);
    }

    /** What every steering rule answers once it has taken its terminal action: nothing, saying which. */
    public static Action alreadyActed(int iteration, Action taken) {
        return none(iteration, "already acted: " + taken.kind().recordName() + " at pass " + taken.iteration());
    }

    public boolean isNone() {
        return kind == ActionKind.NONE;
    }
}
