// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

/** hybrid(m): switch to post-copy at pass m, whatever the passes show (the research's fixed baseline). */
final class HybridPolicy extends PassRulePolicy {
    private final int m;

    HybridPolicy(int m) {
        super(checked(m), "switch at pass m = " + m);
        this.m = m;
    }

    private static int checked(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("m: expected ≥ 1, got " + m);
        }
        return m;
    }

    @Override
    public String name() {
        return "hybrid(" + m + ")";
    }
}
