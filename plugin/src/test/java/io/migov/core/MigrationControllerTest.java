// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static io.migov.core.ActionKind.NONE;
import static io.migov.core.ActionKind.RAISE_DOWNTIME;
import static io.migov.core.ActionKind.SWITCH_TO_POSTCOPY;
import static io.migov.core.Strategy.HYBRID;
import static io.migov.core.Strategy.POST_COPY;
import static io.migov.core.Strategy.PRE_COPY;
import static io.migov.core.Verdict.DECAYING;
import static io.migov.core.Verdict.GROWING;
import static io.migov.core.Verdict.NOT_DECAYING;
import static io.migov.core.Verdict.STALLED;
import static io.migov.core.Verdict.WILL_COMPLETE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Algorithm 1, branch by branch. Each row: the migration as the controller sees it, and the one action expected. */
class MigrationControllerTest {

    private static final long MIB = 1024 * 1024;
    private static final Behaviour MEMORY_INTENSIVE = new Behaviour(5, 0.9, 0, 0);
    private static final Behaviour NOT_MEMORY_INTENSIVE = new Behaviour(5, 0.1, 0, 0.8);

    static Stream<Arguments> algorithm1() {
        return Stream.of(
                row("POST_COPY, permitted: switch immediately, no convergence watching",
                        POST_COPY, MEMORY_INTENSIVE, true, List.of(NOT_DECAYING, STALLED), SWITCH_TO_POSTCOPY, 0),
                row("POST_COPY, not permitted: raise downtime once the first full pass is done (pass 2 begins)",
                        POST_COPY, MEMORY_INTENSIVE, false, List.of(NOT_DECAYING, NOT_DECAYING), RAISE_DOWNTIME, 2),
                row("POST_COPY, not permitted, will complete after the first pass: wait for a pass that won't",
                        POST_COPY, MEMORY_INTENSIVE, false, List.of(NOT_DECAYING, WILL_COMPLETE, GROWING), RAISE_DOWNTIME, 3),
                row("PRE_COPY, look-ahead not memory-intensive: vanilla pre-copy even when stalled past m",
                        PRE_COPY, NOT_MEMORY_INTENSIVE, true, List.of(NOT_DECAYING, STALLED, STALLED, STALLED, STALLED, STALLED), NONE, -1),
                row("PRE_COPY, memory-intensive look-ahead: switch at iteration = m",
                        PRE_COPY, MEMORY_INTENSIVE, true, List.of(NOT_DECAYING, DECAYING, NOT_DECAYING, GROWING, GROWING), SWITCH_TO_POSTCOPY, 4),
                row("PRE_COPY, memory-intensive look-ahead: switch at the convergence point before m",
                        PRE_COPY, MEMORY_INTENSIVE, true, List.of(NOT_DECAYING, STALLED), SWITCH_TO_POSTCOPY, 2),
                row("PRE_COPY, memory-intensive look-ahead, not permitted: raise downtime at the convergence point",
                        PRE_COPY, MEMORY_INTENSIVE, false, List.of(NOT_DECAYING, NOT_DECAYING, STALLED), RAISE_DOWNTIME, 3),
                row("PRE_COPY, memory-intensive look-ahead, will complete at m: no switch while completing",
                        PRE_COPY, MEMORY_INTENSIVE, true, List.of(DECAYING, DECAYING, DECAYING, WILL_COMPLETE, WILL_COMPLETE), NONE, -1),
                row("HYBRID: switch at iteration = m",
                        HYBRID, NOT_MEMORY_INTENSIVE, true, List.of(NOT_DECAYING, NOT_DECAYING, DECAYING, DECAYING, DECAYING), SWITCH_TO_POSTCOPY, 4),
                row("HYBRID: switch at the convergence point before m",
                        HYBRID, NOT_MEMORY_INTENSIVE, true, List.of(NOT_DECAYING, NOT_DECAYING, STALLED), SWITCH_TO_POSTCOPY, 3),
                row("HYBRID: will complete wins over iteration = m, switch at the first pass after that stops being true",
                        HYBRID, NOT_MEMORY_INTENSIVE, true, List.of(DECAYING, DECAYING, DECAYING, WILL_COMPLETE, NOT_DECAYING), SWITCH_TO_POSTCOPY, 5),
                row("HYBRID: will complete throughout, never switched",
                        HYBRID, MEMORY_INTENSIVE, true, List.of(WILL_COMPLETE, WILL_COMPLETE, WILL_COMPLETE, WILL_COMPLETE, WILL_COMPLETE), NONE, -1),
                row("HYBRID, not permitted: raise downtime at iteration = m",
                        HYBRID, MEMORY_INTENSIVE, false, List.of(NOT_DECAYING, NOT_DECAYING, NOT_DECAYING, NOT_DECAYING), RAISE_DOWNTIME, 4),
                row("HYBRID, not permitted: raise downtime at the convergence point",
                        HYBRID, MEMORY_INTENSIVE, false, List.of(NOT_DECAYING, STALLED), RAISE_DOWNTIME, 2));
    }

    private static Arguments row(String name, Strategy strategy, Behaviour behaviour, boolean permitted,
                                 List<Verdict> passes, ActionKind expected, int expectedIteration) {
        return Arguments.of(name, strategy, behaviour, permitted, passes, expected, expectedIteration);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithm1")
    void controller_actsExactlyOnceAtTheRightPass(String name, Strategy strategy, Behaviour behaviour, boolean permitted,
                                                  List<Verdict> passes, ActionKind expected, int expectedIteration) {
        MigrationController controller = new MigrationController(ControllerSettings.DEFAULTS,
                new Decision(72, strategy, "test"), behaviour, permitted);
        List<Action> actions = new ArrayList<>();
        actions.add(controller.start());
        for (int i = 0; i < passes.size(); i++) {
            actions.add(controller.onPass(record(i + 1), assessment(i + 1, passes.get(i))));
        }
        List<Action> taken = actions.stream().filter(a -> !a.isNone()).toList();
        if (expected == NONE) {
            assertTrue(taken.isEmpty(), "expected no action, got " + taken);
        } else {
            assertEquals(1, taken.size(), "exactly one action: " + taken);
            Action a = taken.get(0);
            assertEquals(expected, a.kind(), a.reason());
            assertEquals(expectedIteration, a.iteration(), a.reason());
            assertFalse(a.reason().isBlank());
            assertEquals(MigrationController.Phase.DONE, controller.phase());
        }
        for (Action a : actions) {
            assertFalse(a.reason().isBlank(), "every action carries a reason");
        }
        if (!permitted) {
            assertTrue(actions.stream().noneMatch(a -> a.kind() == SWITCH_TO_POSTCOPY), "never a post-copy call without permission");
        }
    }

    @Test
    void onPass_afterSwitching_noFurtherActions() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, true);
        c.start();
        assertEquals(SWITCH_TO_POSTCOPY, c.onPass(record(1), assessment(1, STALLED)).kind());
        Action later = c.onPass(record(2), assessment(2, STALLED));
        assertEquals(NONE, later.kind());
        assertTrue(later.reason().contains("already acted"), later.reason());
    }

    @Test
    void onPass_migrationFirstSeenLate_startsAndActsAtOnce() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, true);
        Action a = c.onPass(record(6), assessment(6, NOT_DECAYING));
        assertEquals(SWITCH_TO_POSTCOPY, a.kind());
        assertEquals(6, a.iteration());
    }

    @Test
    void postCopyRefused_atThePassOfTheSwitch_raisesDowntimeThere() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, true);
        c.start();
        IterationRecord r = record(4);
        assertEquals(SWITCH_TO_POSTCOPY, c.onPass(r, assessment(4, NOT_DECAYING)).kind());
        Action fallback = c.postCopyRefused(r);
        assertEquals(RAISE_DOWNTIME, fallback.kind());
        assertEquals(4, fallback.iteration());
        assertTrue(fallback.reason().contains("post-copy refused"), fallback.reason());
        assertFalse(c.postCopyPermitted());
        assertEquals(NONE, c.onPass(record(5), assessment(5, STALLED)).kind());
    }

    @Test
    void postCopyRefused_forAnImmediateSwitch_raisesDowntimeAfterTheFirstFullPass() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, POST_COPY, "t"), MEMORY_INTENSIVE, true);
        assertEquals(SWITCH_TO_POSTCOPY, c.start().kind());
        assertEquals(NONE, c.postCopyRefused(null).kind());
        assertEquals(NONE, c.onPass(record(1), assessment(1, NOT_DECAYING)).kind(), "pass 1 carries all of memory");
        Action a = c.onPass(record(2), assessment(2, NOT_DECAYING));
        assertEquals(RAISE_DOWNTIME, a.kind());
        assertEquals(2, a.iteration());
    }

    @Test
    void postCopyRefused_withoutASwitch_changesNothing() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, true);
        c.start();
        assertEquals(NONE, c.postCopyRefused(record(2)).kind());
        assertTrue(c.postCopyPermitted());
        assertEquals(MigrationController.Phase.WATCHING, c.phase());
    }

    @Test
    void raiseDowntime_isSizedToFinishNowWithinTheCap() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, false);
        c.start();
        // 250 MiB at 100 MiB/s = 2.5 s, with 25 % headroom = 3125 ms
        IterationRecord r = new IterationRecord(4, 24_000, 250 * MIB, 100.0 * MIB);
        Action a = c.onPass(r, assessment(4, NOT_DECAYING));
        assertEquals(RAISE_DOWNTIME, a.kind());
        assertEquals(3125, a.downtimeMillis());
        assertTrue(a.reason().contains("3125 ms"), a.reason());
    }

    @Test
    void raiseDowntime_aLaterPassShowsItTooSmall_raisedAgainUpToTheCap_thenSilent() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, false);
        c.start();
        // sized from a reading made late in the pass: 80 MiB left then → 1000 ms
        Action first = c.onPass(new IterationRecord(4, 20_000, 80 * MIB, 100.0 * MIB), assessment(4, STALLED));
        assertEquals(1000, first.downtimeMillis());
        // the next pass starts with 260 MiB: 3250 ms needed, more than 1.25 × 1000
        Action again = c.onPass(new IterationRecord(5, 22_600, 260 * MIB, 100.0 * MIB), assessment(5, STALLED));
        assertEquals(RAISE_DOWNTIME, again.kind());
        assertEquals(3250, again.downtimeMillis());
        assertTrue(again.reason().startsWith("the raise to 1000 ms at pass 4 fell short (pass 5, STALLED)"), again.reason());
        // within the headroom of what is set: nothing more
        assertEquals(NONE, c.onPass(new IterationRecord(6, 25_000, 300 * MIB, 100.0 * MIB), assessment(6, STALLED)).kind());
        // at the cap: final, however much is left
        assertEquals(5000, c.onPass(new IterationRecord(7, 27_000, 2048 * MIB, 100.0 * MIB), assessment(7, GROWING)).downtimeMillis());
        assertEquals(NONE, c.onPass(new IterationRecord(8, 29_000, 4096 * MIB, 100.0 * MIB), assessment(8, GROWING)).kind());
        // a pass that will complete by itself needs nothing
        MigrationController d = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, false);
        d.start();
        d.onPass(new IterationRecord(4, 20_000, 80 * MIB, 100.0 * MIB), assessment(4, STALLED));
        assertEquals(NONE, d.onPass(new IterationRecord(5, 22_000, 260 * MIB, 100.0 * MIB), assessment(5, WILL_COMPLETE)).kind());
    }

    @Test
    void raiseDowntime_neverAboveTheConfiguredCap() {
        ControllerSettings settings = new ControllerSettings(4, 0.5, 2000);
        assertEquals(2000, MigrationController.downtimeToFinishNowMillis(new IterationRecord(4, 1, 1024 * MIB, 100.0 * MIB), 2000));
        assertEquals(2000, MigrationController.downtimeToFinishNowMillis(new IterationRecord(4, 1, MIB, 0), settings.fallbackMaxDowntimeMillis()));
    }

    @Test
    void reachedSwitchPoint_willCompleteWinsOverIterationEqualsM() {
        assertFalse(MigrationController.reachedSwitchPoint(4, 4, assessment(4, WILL_COMPLETE)));
        assertTrue(MigrationController.reachedSwitchPoint(4, 4, assessment(4, NOT_DECAYING)));
        assertTrue(MigrationController.reachedSwitchPoint(2, 4, assessment(2, STALLED)));
        assertFalse(MigrationController.reachedSwitchPoint(3, 4, assessment(3, GROWING)));
    }

    @Test
    void settings_badValues_areRejectedNamingTheField() {
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ControllerSettings(0, 0.5, 5000)).getMessage().startsWith("maxIterations:"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ControllerSettings(4, 1.5, 5000)).getMessage().startsWith("memoryIntensiveShare:"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ControllerSettings(4, 0.5, 0)).getMessage().startsWith("fallbackMaxDowntimeMillis:"));
    }

    @Test
    void plan_describesWhatComesNext() {
        MigrationController c = new MigrationController(ControllerSettings.DEFAULTS, new Decision(0, HYBRID, "t"), MEMORY_INTENSIVE, true);
        c.start();
        assertTrue(c.plan().startsWith("switch_to_postcopy at pass 4"), c.plan());
        c.onPass(record(4), assessment(4, NOT_DECAYING));
        assertEquals("done: switch_to_postcopy at pass 4", c.plan());
    }

    private static IterationRecord record(int iteration) {
        return new IterationRecord(iteration, 20_000, 250 * MIB, 100.0 * MIB);
    }

    private static Assessment assessment(int iteration, Verdict verdict) {
        Verdict trend = verdict == WILL_COMPLETE || verdict == STALLED ? NOT_DECAYING : verdict;
        return new Assessment(iteration, trend, verdict,
                verdict == STALLED ? OptionalInt.of(iteration) : OptionalInt.empty(), "verdict " + verdict);
    }
}
