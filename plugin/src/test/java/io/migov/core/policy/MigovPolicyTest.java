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

/** migov's policy is Algorithm 1 with the convergence detector, judged on whole passes. */
class MigovPolicyTest {

    private static MigrationPolicy started(Strategy strategy, double memoryShare, boolean permitted) {
        MigrationPolicy p = Policies.create("migov", PolicySettings.DEFAULTS);
        p.start(context(strategy, memoryShare, permitted));
        return p;
    }

    @Test
    void start_postCopyStrategy_switchesImmediately() {
        MigrationPolicy p = Policies.create("migov", PolicySettings.DEFAULTS);
        Action a = p.start(context(Strategy.POST_COPY, 1.0));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertEquals(0, a.iteration());
    }

    @Test
    void observe_dirtyingFasterThanSending_switchesAtTheFirstPassThatShowsIt() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        assertTrue(p.observe(pass(1, Double.NaN, 512)).isNone());
        Action a = p.observe(pass(2, 60_000, 250));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertEquals(2, a.iteration());
        assertTrue(a.reason().contains("convergence point at pass 2 (stalled: pre-copy cannot catch up"), a.reason());
    }

    @Test
    void observe_projectedNotToFitByPassM_switchesAtThatPassNamingIt() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        assertTrue(p.observe(pass(1, Double.NaN, 512)).isNone());
        // 78 MiB/s against 100: 250 MiB shrinks to the 30 MiB a 300 ms downtime holds only after 9 more passes
        Action a = p.observe(pass(2, 20_000, 250));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertEquals(2, a.iteration());
        assertTrue(a.reason().contains("cannot fit the 300 ms downtime by pass 6"), a.reason());
        assertTrue(a.reason().contains("needs 9 more pass(es)"), a.reason());
    }

    @Test
    void observe_flatRemainingBytes_switchesAtTheStalledPassNamingIt() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        assertTrue(p.observe(pass(1, Double.NaN, 512)).isNone());
        // 39 MiB/s against 100: projected to fit after 3 more passes, within m + completionPasses
        assertTrue(p.observe(pass(2, 10_000, 250)).isNone());
        Action a = p.observe(pass(3, 10_000, 251));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertEquals(3, a.iteration());
        assertTrue(a.reason().contains("convergence point at pass 3"), a.reason());
    }

    @Test
    void observe_pollsBetweenPasses_neverAct() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        p.observe(pass(1, Double.NaN, 512));
        p.observe(pass(2, 20_000, 250));
        // a poll with flat remaining bytes would be STALLED if it were taken for a pass
        Action a = p.observe(poll(5200, 2, 251));
        assertTrue(a.isNone(), a.toString());
    }

    @Test
    void observe_migrationAboutToComplete_isLeftAlone() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        p.observe(pass(1, Double.NaN, 512));
        Action a = p.observe(pass(2, 1000, 40));
        assertTrue(a.isNone());
        assertTrue(a.reason().startsWith("pre-copy will complete by itself"), a.reason());
    }

    @Test
    void postCopyRefused_afterASwitch_raisesTheDowntimeSizedFromTheLastPass() {
        MigrationPolicy p = started(Strategy.HYBRID, 0.0, true);
        p.observe(pass(1, Double.NaN, 512));
        p.observe(pass(2, 10_000, 250));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, p.observe(pass(3, 10_000, 251)).kind());
        Action a = p.postCopyRefused(poll(7500, 3, 240));
        assertEquals(ActionKind.RAISE_DOWNTIME, a.kind());
        // 251 MiB at 100 MiB/s × 1.25 headroom = 3138 ms (sized from the pass, not the poll)
        assertEquals(3138, a.downtimeMillis());
    }
}
