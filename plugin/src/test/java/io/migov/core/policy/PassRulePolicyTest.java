// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.Strategy;
import org.junit.jupiter.api.Test;

import static io.migov.core.policy.PolicyFixtures.context;
import static io.migov.core.policy.PolicyFixtures.pass;
import static io.migov.core.policy.PolicyFixtures.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** precopy, postcopy-after-precopy, hybrid(m), always-postcopy: the pass rules, whatever the workload. */
class PassRulePolicyTest {

    private static MigrationPolicy started(String name) {
        MigrationPolicy p = Policies.create(name, PolicySettings.DEFAULTS);
        Action first = p.start(context(Strategy.HYBRID, 0.0));
        if (!name.equals(Policies.ALWAYS_POSTCOPY)) {
            assertTrue(first.isNone(), name + " acted at start: " + first);
        }
        return p;
    }

    /** The pass at which the policy first acts on a flat, never-converging writer, or -1. */
    private static int switchPass(MigrationPolicy p) {
        for (int i = 1; i <= 12; i++) {
            if (i > 1) {
                assertTrue(p.observe(poll(i * 2300L - 1000, i - 1, 250)).isNone(), "acted on a poll within pass " + (i - 1));
            }
            Action a = p.observe(pass(i, 60_000, 250));
            if (!a.isNone()) {
                assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
                assertEquals(i, a.iteration());
                return i;
            }
        }
        return -1;
    }

    @Test
    void precopy_neverConvergingWriter_neverActs() {
        assertEquals(-1, switchPass(started("precopy")));
    }

    @Test
    void postcopyAfterPrecopy_switchesWhenTheFirstFullPassIsDone() {
        assertEquals(2, switchPass(started("postcopy-after-precopy")));
    }

    @Test
    void hybrid_m_switchesAtPassM() {
        assertEquals(3, switchPass(started("hybrid(3)")));
        assertEquals(4, switchPass(started("hybrid(4)")));
        assertEquals(5, switchPass(started("hybrid(5)")));
    }

    @Test
    void hybrid_aPollAlreadyInPassM_switchesEvenIfItsBoundaryWasMissed() {
        MigrationPolicy p = started("hybrid(3)");
        p.observe(pass(1, Double.NaN, 512));
        p.observe(pass(2, 60_000, 250));
        Action a = p.observe(poll(6000, 3, 240));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertEquals(3, a.iteration());
    }

    @Test
    void hybrid_aMigrationAboutToComplete_isSwitchedAnyway() {
        MigrationPolicy p = started("hybrid(2)");
        assertTrue(p.observe(pass(1, Double.NaN, 512)).isNone());
        Action a = p.observe(pass(2, 100, 1));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind(), "hybrid(m) has no completion guard");
    }

    @Test
    void alwaysPostcopy_switchesAtStart_beforeAnyPass() {
        MigrationPolicy p = Policies.create("always-postcopy", PolicySettings.DEFAULTS);
        Action a = p.start(context(Strategy.PRE_COPY, 0.0));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertEquals(0, a.iteration());
    }

    @Test
    void anyPassRule_afterActing_staysSilent() {
        MigrationPolicy p = started("hybrid(3)");
        switchPass(p);
        Action later = p.observe(pass(13, 60_000, 250));
        assertTrue(later.isNone());
        assertTrue(later.reason().startsWith("already acted: switch_to_postcopy at pass 3"), later.reason());
        assertTrue(p.plan().startsWith("done: switch_to_postcopy at pass 3"), p.plan());
    }

    @Test
    void anyPassRule_postCopyRefused_leavesItToPreCopy() {
        MigrationPolicy p = started("postcopy-after-precopy");
        switchPass(p);
        Action a = p.postCopyRefused(pass(2, 60_000, 250));
        assertTrue(a.isNone());
        assertTrue(a.reason().contains("post-copy not permitted"), a.reason());
    }
}
