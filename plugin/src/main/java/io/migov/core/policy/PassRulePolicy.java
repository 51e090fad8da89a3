// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;

/**
 * The fixed peers that switch to post-copy at a pass count, whatever the workload: libvirt's and
 * Ganeti's post-copy-after-pre-copy, hybrid(m) (oVirt's post-copy policy is about hybrid(4)),
 * always-post-copy, and vanilla pre-copy (never). Passes are counted as libvirt announces them:
 * pass N is reported when it begins, so "switch at pass N" means after N − 1 full passes, the same
 * counting as migov's {@code maxIterations}.
 */
abstract class PassRulePolicy implements MigrationPolicy {

    /** The pass at which to switch; 0 = as soon as the migration is seen; -1 = never. */
    private final int switchAtPass;
    private final String rule;
    private Action taken;

    PassRulePolicy(int switchAtPass, String rule) {
        this.switchAtPass = switchAtPass;
        this.rule = rule;
    }

    @Override
    public Action start(MigrationContext context) {
        return switchAtPass == 0 ? act(0, "switch as soon as the migration runs") : Action.none(0, plan());
    }

    @Override
    public Action observe(Observation o) {
        if (taken != null) {
            return Action.alreadyActed(o.iteration(), taken);
        }
        if (switchAtPass < 0 || o.iteration() < switchAtPass) {
            return Action.none(o.iteration(), plan());
        }
        return act(o.iteration(), "pass " + o.iteration() + " reached " + switchAtPass);
    }

    private Action act(int iteration, String why) {
        taken = new Action(ActionKind.SWITCH_TO_POSTCOPY, iteration, name() + ": " + rule + "; " + why, 0);
        return taken;
    }

    @Override
    public String plan() {
        if (taken != null) {
            return "done: " + taken.kind().recordName() + " at pass " + taken.iteration();
        }
        return switchAtPass < 0 ? "none: vanilla pre-copy" : switchAtPass == 0 ? "switch_to_postcopy as soon as the migration runs"
                : "switch_to_postcopy at pass " + switchAtPass;
    }
}
