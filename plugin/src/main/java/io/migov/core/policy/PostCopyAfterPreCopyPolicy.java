// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

/**
 * libvirt's {@code VIR_MIGRATE_POSTCOPY_AFTER_PRECOPY} (virsh {@code --postcopy-after-precopy}) and
 * Ganeti: switch once the first full pass is done, which libvirt announces as pass 2.
 */
final class PostCopyAfterPreCopyPolicy extends PassRulePolicy {
    PostCopyAfterPreCopyPolicy() {
        super(2, "switch once the first full pre-copy pass is done");
    }

    @Override
    public String name() {
        return Policies.POSTCOPY_AFTER_PRECOPY;
    }
}
