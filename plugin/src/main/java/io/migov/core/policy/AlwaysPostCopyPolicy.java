// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

/**
 * Post-copy from the start: switch as soon as libvirt accepts it (it refuses for a moment while
 * the job sets up; the runner retries).
 */
final class AlwaysPostCopyPolicy extends PassRulePolicy {
    AlwaysPostCopyPolicy() {
        super(0, "always post-copy");
    }

    @Override
    public String name() {
        return Policies.ALWAYS_POSTCOPY;
    }
}
