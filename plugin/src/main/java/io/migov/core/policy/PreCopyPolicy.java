// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

/** Vanilla pre-copy: never acts. The baseline every other policy is compared with. */
final class PreCopyPolicy extends PassRulePolicy {
    PreCopyPolicy() {
        super(-1, "vanilla pre-copy never acts");
    }

    @Override
    public String name() {
        return Policies.PRECOPY;
    }
}
