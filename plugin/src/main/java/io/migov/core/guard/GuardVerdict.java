// SPDX-License-Identifier: Apache-2.0
package io.migov.core.guard;

import java.util.Objects;

/** May the post-copy switch go now, and why (the reason is logged and recorded). */
public record GuardVerdict(boolean allowed, String reason) {

    public GuardVerdict {
        Objects.requireNonNull(reason, "reason");
    }

    static GuardVerdict allow(String reason) {
        return new GuardVerdict(true, reason);
    }

    static GuardVerdict hold(String reason) {
        return new GuardVerdict(false, reason);
    }
}
