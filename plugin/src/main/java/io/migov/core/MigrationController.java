// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.Locale;
import java.util.Objects;

/**
 * Algorithm 1 for one migration, as an explicit state machine.
 *
 * <pre>
 *   POST_COPY ─start()──────────────────────────────▶ switch to post-copy ─▶ DONE
 *   PRE_COPY, look-ahead not memory-intensive ──────▶ PASSIVE (vanilla pre-copy, never acts)
 *   PRE_COPY (memory-intensive look-ahead), HYBRID ─▶ WATCHING ─(pass ≥ m or STALLED,
 *                                                     and not WILL_COMPLETE)─▶ act ─▶ DONE
 * </pre>
 * "Act" is {@code switch_to_postcopy} when post-copy is permitted on this migration, otherwise
 * {@code raise_downtime} sized to finish now (what nova and KubeVirt do); for a POST_COPY decision
 * without permission that happens once the first full pass is done (libvirt announces pass 2) and
 * the pass is not WILL_COMPLETE, because raising the downtime before a full pass would stop the
 * guest for a copy of all its memory. Every action
 * carries its reason; after one action the controller is DONE and stays silent, except that a raised
 * downtime a later pass shows too small is raised again ({@link #raiseFellShort}).
 */
public final class MigrationController {

    public enum Phase { WAITING_FOR_START, WATCHING, PASSIVE, DONE }

    private static final double DOWNTIME_HEADROOM = 1.25;
    /**
     * libvirt announces pass N as it begins: at pass 1 the remaining data is all of memory, so the
     * first full pass is done when pass 2 begins.
     */
    public static final int FIRST_FULL_PASS_DONE = 2;

    private final ControllerSettings settings;
    private final Decision decision;
    private final Behaviour behaviour;
    private boolean postCopyPermitted;
    private Phase phase = Phase.WAITING_FOR_START;
    private Action taken;

    public MigrationController(ControllerSettings settings, Decision decision, Behaviour behaviour, boolean postCopyPermitted) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.decision = Objects.requireNonNull(decision, "decision");
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.postCopyPermitted = postCopyPermitted;
    }

    // --- the policy, as small named functions -----------------------------------------------------

    /** Lines 7 and 13 of Algorithm 1, with WILL_COMPLETE taking precedence over "iteration = m". */
    static boolean reachedSwitchPoint(int iteration, int maxIterations, Assessment assessment) {
        if (assessment.willComplete()) {
            return false;
        }
        return iteration >= maxIterations || assessment.stalled();
    }

    /** Line 7's first condition: PRE_COPY only ever switches for a memory-intensive look-ahead. */
    static boolean preCopyMayEverSwitch(Behaviour behaviour, double memoryIntensiveShare) {
        return behaviour.isMemoryIntensive(memoryIntensiveShare);
    }

    /**
     * A raised downtime that a later pass shows too small: the pass does not complete, and finishing
     * now needs at least the headroom more than was allowed. It happens when the raise was sized from
     * a reading made well into a pass (a daemon restarted mid-migration sees its first pass late), or
     * when the guest dirties faster since. Raised again, so growing by the headroom each time and
     * bounded by the cap; a raise already at the cap is final.
     */
    static boolean raiseFellShort(Action taken, IterationRecord record, Assessment assessment, long neededMillis) {
        return taken.kind() == ActionKind.RAISE_DOWNTIME && record.iteration() > taken.iteration() && !assessment.willComplete()
                && neededMillis >= taken.downtimeMillis() * DOWNTIME_HEADROOM;
    }

    /** Downtime that lets the remaining data go in one stop-and-copy, with headroom, within the cap. */
    public static long downtimeToFinishNowMillis(IterationRecord record, long capMillis) {
        double bandwidth = record.transferRateBytesPerSecond();
        if (bandwidth <= 0) {
            return capMillis;
        }
        double needed = Math.ceil(record.remainingBytes() / bandwidth * 1000.0 * DOWNTIME_HEADROOM);
        return (long) Math.max(1, Math.min(capMillis, needed));
    }

    // --- the state machine --------------------------------------------------------------------------

    /** Called once when the migration is first seen. */
    public Action start() {
        if (phase != Phase.WAITING_FOR_START) {
            return Action.none(0, "already started");
        }
        switch (decision.strategy()) {
            case POST_COPY -> {
                if (postCopyPermitted) {
                    return act(new Action(ActionKind.SWITCH_TO_POSTCOPY, 0,
                            "strategy POST_COPY: " + decision.reason() + "; switching immediately", 0));
                }
                phase = Phase.WATCHING;
                return Action.none(0, "strategy POST_COPY but post-copy not permitted: will raise downtime after the first full pass");
            }
            case PRE_COPY -> {
                if (!preCopyMayEverSwitch(behaviour, settings.memoryIntensiveShare())) {
                    phase = Phase.PASSIVE;
                    return Action.none(0, "strategy PRE_COPY and " + behaviour + " is not memory-intensive: vanilla pre-copy");
                }
                phase = Phase.WATCHING;
                return Action.none(0, "strategy PRE_COPY with a memory-intensive look-ahead (" + behaviour
                        + "): switch at pass " + settings.maxIterations() + " or the convergence point");
            }
            default -> {
                phase = Phase.WATCHING;
                return Action.none(0, "strategy HYBRID: switch at pass " + settings.maxIterations() + " or the convergence point");
            }
        }
    }

    /** Called once per pre-copy pass with the detector's assessment of it. */
    public Action onPass(IterationRecord record, Assessment assessment) {
        int iteration = record.iteration();
        if (phase == Phase.WAITING_FOR_START) {
            Action first = start();
            if (!first.isNone()) {
                return first;
            }
        }
        switch (phase) {
            case DONE -> {
                long neededMillis = downtimeToFinishNowMillis(record, settings.fallbackMaxDowntimeMillis());
                if (raiseFellShort(taken, record, assessment, neededMillis)) {
                    return act(raiseDowntimeToFinishNow(record, String.format(Locale.ROOT,
                            "the raise to %d ms at pass %d fell short (pass %d, %s)", taken.downtimeMillis(), taken.iteration(),
                            iteration, assessment.verdict()), settings.fallbackMaxDowntimeMillis()));
                }
                return Action.alreadyActed(iteration, taken);
            }
            case PASSIVE -> {
                return Action.none(iteration, "vanilla pre-copy");
            }
            default -> {
                // WATCHING
            }
        }
        if (decision.strategy() == Strategy.POST_COPY) {
            // Post-copy wanted but not permitted: finish as soon as a full pass has happened.
            if (iteration < FIRST_FULL_PASS_DONE) {
                return Action.none(iteration, "post-copy not permitted: waiting for the first full pass before raising the downtime");
            }
            if (assessment.willComplete()) {
                return Action.none(iteration, "pre-copy will complete by itself: " + assessment.reason());
            }
            return act(raiseDowntime(record, "strategy POST_COPY but post-copy not permitted"));
        }
        if (!reachedSwitchPoint(iteration, settings.maxIterations(), assessment)) {
            String why = assessment.willComplete()
                    ? "pre-copy will complete by itself: " + assessment.reason()
                    : "pass " + iteration + " of " + settings.maxIterations() + ", " + assessment.verdict() + ": " + assessment.reason();
            return Action.none(iteration, why);
        }
        String trigger = assessment.stalled()
                ? "convergence point at pass " + iteration + " (" + assessment.reason() + ")"
                : "pass " + iteration + " reached m = " + settings.maxIterations() + " (" + assessment.verdict() + ")";
        String prefix = "strategy " + decision.strategy() + ": " + trigger;
        if (postCopyPermitted) {
            return act(new Action(ActionKind.SWITCH_TO_POSTCOPY, iteration, prefix, 0));
        }
        return act(raiseDowntime(record, prefix + ", post-copy not permitted"));
    }

    /**
     * libvirt refused the switch: the migration was started without post-copy. The permission is
     * withdrawn and the same decision point falls back to raising the downtime; for a switch taken
     * before any pass ({@code lastRecord} null) that happens at the next pass.
     */
    public Action postCopyRefused(IterationRecord lastRecord) {
        if (phase != Phase.DONE || taken.kind() != ActionKind.SWITCH_TO_POSTCOPY) {
            return Action.none(lastRecord == null ? 0 : lastRecord.iteration(), "no switch to withdraw");
        }
        postCopyPermitted = false;
        Action refused = taken;
        taken = null;
        phase = Phase.WATCHING;
        if (lastRecord == null) {
            return Action.none(refused.iteration(), "post-copy refused (migration started without it): will raise downtime after the next pass");
        }
        return act(raiseDowntime(lastRecord, refused.reason() + "; post-copy refused (migration started without it)"));
    }

    private Action raiseDowntime(IterationRecord record, String why) {
        return raiseDowntimeToFinishNow(record, why, settings.fallbackMaxDowntimeMillis());
    }

    /** The raise_downtime action that lets the remaining data go in one stop-and-copy, with its reason. */
    public static Action raiseDowntimeToFinishNow(IterationRecord record, String why, long capMillis) {
        long downtime = downtimeToFinishNowMillis(record, capMillis);
        String reason = String.format(Locale.ROOT, "%s: raise max downtime to %d ms to finish now (%.1f MiB remaining)",
                why, downtime, record.remainingBytes() / (1024.0 * 1024.0));
        return new Action(ActionKind.RAISE_DOWNTIME, record.iteration(), reason, downtime);
    }

    private Action act(Action action) {
        phase = Phase.DONE;
        taken = action;
        return action;
    }

    public Phase phase() {
        return phase;
    }

    /** The action taken, or null while none. */
    public Action taken() {
        return taken;
    }

    public Decision decision() {
        return decision;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    public boolean postCopyPermitted() {
        return postCopyPermitted;
    }

    /** What the controller will do next, for operators ("planned action"). */
    public String plan() {
        return switch (phase) {
            case WAITING_FOR_START -> "not started";
            case PASSIVE -> "none: vanilla pre-copy";
            case DONE -> "done: " + taken.kind().recordName() + " at pass " + taken.iteration();
            case WATCHING -> (postCopyPermitted && decision.strategy() != Strategy.POST_COPY ? "switch_to_postcopy" : "raise_downtime")
                    + (decision.strategy() == Strategy.POST_COPY ? " after the first full pass"
                    : " at pass " + settings.maxIterations() + " or the convergence point, unless pre-copy will complete");
        };
    }
}
