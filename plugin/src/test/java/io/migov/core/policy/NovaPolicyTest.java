// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.Behaviour;
import io.migov.core.Decision;
import io.migov.core.Strategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NovaPolicyTest {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;
    /** nova's int(50 + 45·i) for i = 0..10 with the defaults (500 ms, 10 steps). */
    private static final List<Long> DOWNTIMES_MILLIS = List.of(50L, 95L, 140L, 185L, 230L, 275L, 320L, 365L, 410L, 455L, 500L);

    private static MigrationContext context(long memoryBytes, boolean postCopyPermitted) {
        return new MigrationContext(new Decision(72, Strategy.HYBRID, "test"), new Behaviour(5, 0, 0, 0), postCopyPermitted,
                memoryBytes, 100.0 * MIB, 300);
    }

    private static Observation poll(long elapsedMillis) {
        return new Observation(elapsedMillis, 3, 20_000, 200 * MIB, 100.0 * MIB, false);
    }

    private static NovaPolicy started(NovaPolicy.TimeoutAction timeoutAction, long memoryBytes, boolean postCopyPermitted) {
        NovaPolicy p = new NovaPolicy(timeoutAction);
        p.start(context(memoryBytes, postCopyPermitted));
        return p;
    }

    /** A non-none action and the elapsed time it came at. */
    private record Hit(long elapsedMillis, Action action) {
    }

    /** Polls every second from 1 s to {@code untilSeconds}, as the daemon does; the actions taken. */
    private static List<Hit> pollEverySecond(NovaPolicy p, long untilSeconds) {
        List<Hit> hits = new ArrayList<>();
        for (long s = 1; s <= untilSeconds; s++) {
            Action a = p.observe(poll(s * 1000));
            if (!a.isNone()) {
                hits.add(new Hit(s * 1000, a));
            }
        }
        return hits;
    }

    @Test
    void start_512MiBGuest_countsAsNovasMinimum2GiBAndSetsStep0To50Ms() {
        NovaPolicy p = new NovaPolicy(NovaPolicy.TimeoutAction.ABORT);
        Action a = p.start(context(512 * MIB, true));
        assertEquals(2.0, p.dataGib());
        assertEquals(ActionKind.RAISE_DOWNTIME, a.kind());
        assertEquals(50, a.downtimeMillis());
        assertEquals(0, a.iteration());
        assertTrue(a.reason().startsWith("nova: downtime step 0/10 at 0 s: 50 ms"), a.reason());
    }

    @Test
    void downtimeSteps_2GiB_every150sFrom50To500Ms() {
        List<NovaPolicy.Step> steps = NovaPolicy.downtimeSteps(2.0);
        assertEquals(11, steps.size());
        for (int i = 0; i <= 10; i++) {
            assertEquals(150L * i, steps.get(i).atSeconds(), "step " + i);
            assertEquals(DOWNTIMES_MILLIS.get(i), steps.get(i).downtimeMillis(), "step " + i);
        }
    }

    @Test
    void downtimeSteps_2point5GiB_truncatesTheDelayBeforeMultiplying() {
        // nova: delay = int(75 × 2.5) = 187, then int(187 × i): step 2 at 374 s, not int(187.5 × 2) = 375 s
        List<NovaPolicy.Step> steps = NovaPolicy.downtimeSteps(2.5);
        assertEquals(187, steps.get(1).atSeconds());
        assertEquals(374, steps.get(2).atSeconds());
        assertEquals(1870, steps.get(10).atSeconds());
        assertEquals(2000, NovaPolicy.completionTimeoutSeconds(2.5));
    }

    @Test
    void observe_512MiBGuest_raisesEachStepAtTheFirstPollStrictlyAfterItsTime() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.ABORT, 512 * MIB, true);
        List<Hit> hits = pollEverySecond(p, 1600);
        assertEquals(10, hits.size(), hits.toString());
        for (int i = 1; i <= 10; i++) {
            Hit h = hits.get(i - 1);
            // nova's update_downtime: elapsed > step time, so the poll at exactly 150·i s is too early
            assertEquals((150L * i + 1) * 1000, h.elapsedMillis(), "step " + i);
            assertEquals(ActionKind.RAISE_DOWNTIME, h.action().kind());
            assertEquals(DOWNTIMES_MILLIS.get(i), h.action().downtimeMillis(), "step " + i);
        }
        assertTrue(hits.get(2).action().reason().startsWith("nova: downtime step 3/10 at 450 s: 185 ms"), hits.get(2).action().reason());
    }

    @Test
    void observe_4GiBGuest_raisesEvery300sAndTimesOutAfter3200s() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.ABORT, 4 * GIB, true);
        assertEquals(4.0, p.dataGib());
        assertEquals(3200, p.completionTimeoutSeconds());
        List<Hit> hits = pollEverySecond(p, 3200);
        assertEquals(10, hits.size(), hits.toString());
        for (int i = 1; i <= 10; i++) {
            assertEquals((300L * i + 1) * 1000, hits.get(i - 1).elapsedMillis(), "step " + i);
            assertEquals(DOWNTIMES_MILLIS.get(i), hits.get(i - 1).action().downtimeMillis(), "step " + i);
        }
        assertTrue(hits.get(9).action().reason().startsWith("nova: downtime step 10/10 at 3000 s: 500 ms"), hits.get(9).action().reason());
        Action timeout = p.observe(poll(3_200_001));
        assertEquals(ActionKind.ABORT, timeout.kind());
        assertTrue(timeout.reason().contains("3200.0 s elapsed > 3200 s (800 s/GiB × 4 GiB)"), timeout.reason());
    }

    @Test
    void observe_stepsPassedBetweenLooks_jumpsToTheLatestOnce() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.ABORT, 512 * MIB, true);
        Action a = p.observe(poll(460_000));
        assertEquals(185, a.downtimeMillis());
        assertTrue(a.reason().contains("steps 1..2 passed between looks"), a.reason());
        Action again = p.observe(poll(461_000));
        assertTrue(again.isNone(), again.reason());
    }

    @Test
    void observe_step0AlreadySet_returnsNoneUntilStep1() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.ABORT, 512 * MIB, true);
        Action a = p.observe(poll(1_000));
        assertTrue(a.isNone(), a.reason());
        assertTrue(a.reason().contains("downtime step 1/10 after 150 s: 95 ms"), a.reason());
        assertTrue(a.reason().contains("abort after 1600 s (800 s/GiB × 2 GiB)"), a.reason());
    }

    @Test
    void observe_abortPastCompletionTimeout_abortsOnceThenStaysSilent() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.ABORT, 512 * MIB, true);
        assertEquals(1600, p.completionTimeoutSeconds());
        p.observe(poll(1_500_001)); // the last step
        assertTrue(p.observe(poll(1_600_000)).isNone(), "at exactly the timeout: not yet (nova: elapsed > timeout)");
        Action a = p.observe(poll(1_600_001));
        assertEquals(ActionKind.ABORT, a.kind());
        assertTrue(a.reason().startsWith("nova: completion timeout: 1600.0 s elapsed > 1600 s (800 s/GiB × 2 GiB)"), a.reason());
        Action after = p.observe(poll(1_601_000));
        assertTrue(after.isNone());
        assertEquals("already acted: abort at pass 3", after.reason());
        assertTrue(p.plan().startsWith("done: abort"), p.plan());
    }

    @Test
    void observe_forceCompleteWithPostCopyPastTimeout_switchesToPostCopy() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.FORCE_COMPLETE, 4 * GIB, true);
        assertEquals("nova-force-complete", p.name());
        Action atTimeout = p.observe(poll(3_200_000)); // not past it yet; step 10 (3000 s) is due
        assertEquals(ActionKind.RAISE_DOWNTIME, atTimeout.kind(), atTimeout.reason());
        assertEquals(500, atTimeout.downtimeMillis());
        Action a = p.observe(poll(3_200_500));
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, a.kind());
        assertTrue(a.reason().contains("force_complete with post-copy"), a.reason());
        assertTrue(p.observe(poll(3_201_000)).reason().startsWith("already acted: switch_to_postcopy"));
    }

    @Test
    void observe_timeoutOnAPollWithAStepDue_takesTheTimeoutActionFirst() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.ABORT, 512 * MIB, true);
        // the first look after start is past both step 10 (1500 s) and the timeout (1600 s): nova aborts first
        assertEquals(ActionKind.ABORT, p.observe(poll(1_700_000)).kind());
    }

    @Test
    void observe_forceCompleteWithoutPostCopy_raisesDowntimeToQemusMaximumInsteadOfPausing() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.FORCE_COMPLETE, 512 * MIB, false);
        Action a = p.observe(poll(1_600_001));
        assertEquals(ActionKind.RAISE_DOWNTIME, a.kind());
        assertEquals(2_000_000, a.downtimeMillis());
        assertTrue(a.reason().contains("nova pauses the guest"), a.reason());
        // a later downtime step must not undo the pause substitute
        assertTrue(p.observe(poll(1_700_000)).reason().startsWith("already acted: raise_downtime"));
    }

    @Test
    void postCopyRefused_afterForceCompleteSwitch_raisesDowntimeToQemusMaximum() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.FORCE_COMPLETE, 512 * MIB, true);
        Observation last = poll(1_600_001);
        assertEquals(ActionKind.SWITCH_TO_POSTCOPY, p.observe(last).kind());
        Action a = p.postCopyRefused(last);
        assertEquals(ActionKind.RAISE_DOWNTIME, a.kind());
        assertEquals(2_000_000, a.downtimeMillis());
        assertEquals(3, a.iteration());
        assertTrue(a.reason().contains("libvirt refused post-copy after the completion timeout of 1600 s"), a.reason());
        assertTrue(p.observe(poll(1_602_000)).reason().startsWith("already acted: raise_downtime"));
    }

    @Test
    void postCopyRefused_beforeTheTimeout_laterPausesInsteadOfSwitching() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.FORCE_COMPLETE, 512 * MIB, true);
        assertTrue(p.postCopyRefused(null).isNone());
        Action a = p.observe(poll(1_600_001));
        assertEquals(ActionKind.RAISE_DOWNTIME, a.kind());
        assertEquals(2_000_000, a.downtimeMillis());
    }

    @Test
    void start_memoryUnknown_usesNovasMinimum2GiB() {
        NovaPolicy p = started(NovaPolicy.TimeoutAction.ABORT, 0, true);
        assertEquals(2.0, p.dataGib());
        assertEquals(1600, p.completionTimeoutSeconds());
    }

    @Test
    void observe_beforeStart_isRefused() {
        NovaPolicy p = new NovaPolicy(NovaPolicy.TimeoutAction.ABORT);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.observe(poll(1000)));
        assertTrue(e.getMessage().contains("observe before start"), e.getMessage());
    }

    @Test
    void create_novaNames_buildTheTwoTimeoutActions() {
        assertEquals("nova", Policies.create("nova", PolicySettings.DEFAULTS).name());
        assertEquals("nova-force-complete", Policies.create("Nova-Force-Complete", PolicySettings.DEFAULTS).name());
    }
}
