// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.Objects;

/** The strategy chosen for a state, and why. */
public record Decision(int state, Strategy strategy, String reason) {
    public Decision {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(reason, "reason");
    }
}
