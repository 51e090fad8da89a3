// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.Strategy;
import org.junit.jupiter.api.Test;

import static io.migov.core.policy.PolicyFixtures.context;
import static io.migov.core.policy.PolicyFixtures.pass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The research's Algorithm 1, literally: switch at pass m or on a decaying dirty rate, no completion guard. */
class Algorithm1PolicyTest {

    private static MigrationPolicy started(Strategy strategy, double memoryShare, boolean permitted) {
        MigrationPolicy p = Policies.create("algorithm1", PolicySettings.DEFAULTS);
        p.start(context(strategy, memoryShare, permitted));
        return p;
    }

    @Test
    void observe_decayingDirtyRate_switchesEvenWhenPreCopyWouldComplete() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        assertTrue(p.observe(pass(1, Double.NaN, 512)).isNone());
        assertTrue(p.observe(pass(2, 1000, 60)).isNone(), "one known rate is no trend");
        Action a = p.observe(pass(3, 500, 10));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertTrue(a.reason().contains("dirty rate decaying at pass 3"), a.reason());
    }

    @Test
    void observe_flatDirtyRate_switchesAtPassM() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        for (int i = 1; i < 4; i++) {
            assertTrue(p.observe(pass(i, i == 1 ? Double.NaN : 60_000, 250)).isNone(), "pass " + i);
        }
        Action a = p.observe(pass(4, 60_000, 250));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertTrue(a.reason().contains("pass 4 reached m = 4"), a.reason());
    }

    @Test
    void start_preCopyWithoutMemoryIntensiveLookAhead_isVanillaPreCopy() {
        MigrationPolicy p = started(Strategy.PRE_COPY, 0.2, true);
        for (int i = 1; i < 10; i++) {
            assertTrue(p.observe(pass(i, 60_000, 250)).isNone());
        }
        assertEquals("none: vanilla pre-copy", p.plan());
    }

    @Test
    void start_postCopyStrategy_switchesImmediately() {
        MigrationPolicy p = Policies.create("algorithm1", PolicySettings.DEFAULTS);
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, p.start(context(Strategy.POST_COPY, 1.0)).kind());
    }

    @Test
    void postCopyRefused_raisesTheDowntimeAtTheSamePoint() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        for (int i = 1; i < 4; i++) {
            p.observe(pass(i, 60_000, 250));
        }
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, p.observe(pass(4, 60_000, 200)).kind());
        Action a = p.postCopyRefused(pass(4, 60_000, 200));
        assertEquals(ActionKind.RAISE_DOWNTIME, a.kind());
        assertEquals(2500, a.downtimeMillis()); // 200 MiB at 100 MiB/s × 1.25
    }
}
