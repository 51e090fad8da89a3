// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.Action;
import io.migov.core.ActionKind;
import io.migov.core.policy.MigrationContext;
import io.migov.core.policy.MigrationPolicy;
import io.migov.core.policy.Observation;

/**
 * One migration of one scenario under one policy, stepped in fixed time steps: the daemon's side
 * (observations at every pass boundary and every poll, actions carried out as the runner does) over
 * the {@link GuestMemory} transfer model. Deterministic: no clock, no randomness. One instance per
 * run.
 */
final class MigrationRun {

    /** What a run produced: the bench row, and when post-copy started (ms, -1 never) for tests. */
    record Result(BenchRow row, long switchedAtMillis) {
    }

    private enum Stage { PRE_COPY, POST_COPY, DONE }

    /** One op is a page touch or one millisecond of busy vCPU: both are what the guest gets done. */
    private static final double OPS_PER_CPU_PERCENT_SECOND = 10;

    private final Scenario scenario;
    private final Workload workload;
    private final ModelParameters p;
    private final MigrationPolicy policy;
    private final GuestMemory memory;
    private final double dt;
    private final double budgetPerStep;
    private final double perMiB;

    private Stage stage = Stage.PRE_COPY;
    /** Steps taken; the time is always steps × dt, so it never drifts by adding dt up. */
    private long steps;
    private double t;
    private int iteration = 1;
    private double passStart;
    private double lastDirtyRate = Double.NaN;
    private long limitMillis;
    private boolean pendingSwitch;
    private double switchedAt = -1;
    private double nextPoll;
    private Observation lastObservation;
    private Action lastAction;
    private String actionNote = "";
    private double requests;
    private double opsUndisturbed;
    private double opsAchieved;
    private double end;
    private double downtimeMillis = -1;
    private String outcome;

    MigrationRun(Scenario scenario, MigrationPolicy policy, ModelParameters p) {
        this.scenario = scenario;
        this.workload = scenario.workload();
        this.p = p;
        this.policy = policy;
        this.memory = new GuestMemory(scenario, p);
        this.dt = p.stepMillis() / 1000.0;
        this.perMiB = p.pagesPerMiB();
        this.budgetPerStep = p.bandwidthBytesPerSecond() * dt / p.pageSizeBytes();
        this.limitMillis = p.downtimeLimitMillis();
        this.nextPoll = p.pollMillis() / 1000.0;
    }

    Result run() {
        long memoryBytes = Math.round(workload.memoryMiB() * ModelParameters.MIB);
        carryOut(policy.start(new MigrationContext(scenario.decision(), scenario.behaviour(), p.postCopyPermitted(), memoryBytes,
                p.bandwidthBytesPerSecond(), p.downtimeLimitMillis())), false);
        if (stage == Stage.PRE_COPY) {
            deliver(observation(true), false);
        }
        while (stage == Stage.PRE_COPY) {
            preCopyStep();
        }
        if (stage == Stage.POST_COPY) {
            postCopy();
        }
        return new Result(row(), switchedAt < 0 ? -1 : Math.round(switchedAt * 1000));
    }

    // --- pre-copy ----------------------------------------------------------------------------------

    private void preCopyStep() {
        if (t * 1000 >= p.timeoutMillis() - 1e-6) {
            // the bench aborts a pre-copy migration still running at its timeout
            finish("timeout", false, p.timeoutMillis() / 1000.0);
            return;
        }
        if (pendingSwitch && t * 1000 >= p.postcopyRefusalMillis() - 1e-6) {
            switchNow();
            return;
        }
        Phase phase = workload.phaseAt(t);
        memory.dirty(GuestMemory.HOT, phase.dirtyPagesPerSecond() * dt, phase.workingSetMiB() * perMiB);
        memory.dirty(GuestMemory.OS_HOT, p.osDirtyPagesPerSecond() * dt, memory.pages(GuestMemory.OS_HOT));
        memory.send(budgetPerStep);
        double ops = opsPerSecond(phase) * dt;
        opsUndisturbed += ops;
        opsAchieved += ops;
        advance();
        if (limitMillis > p.downtimeLimitMillis() && millisToSend(memory.pendingAfterSyncCost()) <= limitMillis) {
            // QEMU compares what is pending with bandwidth × limit all the time, not only at the end of a
            // pass; with the starting limit this model waits for the pass to end (the pending estimate
            // reaches the threshold only near it), but a raised limit is within reach at once
            memory.sync();
            iteration++;
            stopAndCopy();
            return;
        }
        if (memory.remainingPages() == 0) {
            passBoundary();
        } else if (t >= nextPoll - 1e-9) {
            deliver(observation(false), false);
        }
        while (nextPoll <= t + 1e-9) {
            nextPoll += p.pollMillis() / 1000.0;
        }
    }

    /** The pass's set is sent: QEMU syncs the dirty bitmap and begins (and libvirt announces) the next pass. */
    private void passBoundary() {
        double passSeconds = t - passStart;
        lastDirtyRate = passSeconds > 0 ? memory.dirtyPages() / passSeconds : 0;
        memory.sync();
        iteration++;
        passStart = t;
        Observation announced = observation(true);
        if (millisToSend(memory.pendingAfterSyncCost()) <= limitMillis) {
            stopAndCopy();
            // libvirt announces the final sync too; whatever the policy says now comes too late
            deliver(announced, true);
            return;
        }
        deliver(announced, false);
    }

    private void stopAndCopy() {
        double sendMillis = millisToSend(memory.sendAll());
        downtimeMillis = sendMillis + p.switchoverMillis();
        double pause = downtimeMillis / 1000.0;
        opsUndisturbed += opsPerSecond(workload.phaseAt(t)) * pause;
        finish("completed", true, t + pause);
    }

    private void advance() {
        steps++;
        t = steps * dt;
    }

    private double millisToSend(double pages) {
        return pages * p.pageSizeBytes() / p.bandwidthBytesPerSecond() * 1000;
    }

    // --- post-copy ---------------------------------------------------------------------------------

    private void switchNow() {
        pendingSwitch = false;
        stage = Stage.POST_COPY;
        switchedAt = t;
        memory.switchToPostCopy();
    }

    /**
     * The destination runs while the rest is pushed at the bandwidth. Every touch of a page it does
     * not have is a page request; the vCPU waits one fault latency for it, so a guest that touches
     * many missing pages gets little done (and, slowed, touches fewer). Post-copy cannot be aborted,
     * so it runs to the end whatever the timeout.
     */
    private void postCopy() {
        downtimeMillis = p.postcopySwitchMillis();
        double resume = t + p.postcopySwitchMillis() / 1000.0;
        double latency = p.faultLatencyMicros() / 1_000_000.0;
        double osTouches = p.osReadPagesPerSecond() + p.osDirtyPagesPerSecond();
        while (true) {
            Phase phase = workload.phaseAt(t);
            double running = Math.max(0, Math.min(dt, t + dt - resume));
            double hotTouches = memory.pages(GuestMemory.HOT) > 0 ? phase.touchPagesPerSecond() : 0;
            double hotMiss = memory.unreceivedShare(GuestMemory.HOT);
            double osMiss = memory.unreceivedShare(GuestMemory.OS_HOT);
            double demand = phase.cpuPercent() / 100 + latency * (hotTouches * hotMiss + osTouches * osMiss);
            double progress = demand <= 1 ? 1 : 1 / demand;
            requests += memory.fault(GuestMemory.HOT, hotTouches * progress * running * hotMiss);
            requests += memory.fault(GuestMemory.OS_HOT, osTouches * progress * running * osMiss);
            double used = running > 0 ? memory.push(budgetPerStep * running / dt) : 0;
            boolean done = running > 0 && memory.allReceived();
            double ran = done ? running * used : running;
            double rate = opsPerSecond(phase);
            opsUndisturbed += rate * (dt - running + ran);
            opsAchieved += rate * progress * ran;
            if (done) {
                finish("completed", true, t + (dt - running) + ran);
                return;
            }
            advance();
        }
    }

    // --- the daemon's side: observations and actions -------------------------------------------------

    private Observation observation(boolean newPass) {
        long remaining = Math.round(memory.remainingPages() * p.pageSizeBytes());
        double rate = t == 0 ? 0 : p.bandwidthBytesPerSecond();
        // libvirt reports 0 until QEMU has measured a pass, and the daemon reads 0 as unknown: so does this
        double dirty = lastDirtyRate > 0 ? lastDirtyRate : Double.NaN;
        return new Observation(Math.round(t * 1000), iteration, dirty, remaining, rate, newPass);
    }

    private void deliver(Observation o, boolean tooLate) {
        lastObservation = o;
        carryOut(policy.observe(o), tooLate);
    }

    /** Carries out one action as the daemon would; {@code tooLate}: the migration is already finishing. */
    private void carryOut(Action a, boolean tooLate) {
        if (a.isNone()) {
            return;
        }
        Action before = lastAction;
        lastAction = a;
        actionNote = "";
        if (tooLate || stage != Stage.PRE_COPY) {
            actionNote = " (no effect: pre-copy was already in its stop-and-copy)";
            return;
        }
        switch (a.kind()) {
            case SWITCH_TO_POSTCOPY -> {
                if (!p.postCopyPermitted()) {
                    lastAction = before; // refused: the daemon records only what was carried out
                    actionNote = " (a switch was refused by libvirt: post-copy not permitted)";
                    Action instead = policy.postCopyRefused(lastObservation);
                    if (instead.kind() != ActionKind.SWITCH_TO_POSTCOPY) {
                        carryOut(instead, false);
                    }
                } else if (t * 1000 < p.postcopyRefusalMillis() - 1e-6) {
                    pendingSwitch = true; // libvirt refuses while the job sets up; the runner retries
                } else {
                    switchNow();
                }
            }
            case RAISE_DOWNTIME -> limitMillis = Math.max(1, a.downtimeMillis());
            case ABORT -> finish("aborted", false, t);
            default -> throw new IllegalStateException("unhandled action " + a.kind());
        }
    }

    private void finish(String how, boolean completed, double at) {
        outcome = how;
        end = at;
        stage = Stage.DONE;
        if (!completed) {
            downtimeMillis = -1;
        }
    }

    private static double opsPerSecond(Phase phase) {
        return phase.touchPagesPerSecond() + phase.cpuPercent() * OPS_PER_CPU_PERCENT_SECOND;
    }

    private BenchRow row() {
        boolean completed = "completed".equals(outcome);
        String action = lastAction == null ? "none" : lastAction.kind().recordName();
        int at = lastAction == null ? -1 : lastAction.iteration();
        String reason = lastAction == null ? policy.plan() + actionNote : lastAction.reason() + actionNote;
        double degradation = opsUndisturbed > 0 ? opsAchieved / opsUndisturbed : Double.NaN;
        return new BenchRow(workload.name(), policy.name(), 1, outcome, completed, Math.round(end * 1000),
                completed ? Math.round(downtimeMillis) : -1, memory.bytesSent(), iteration, Math.round(requests), action, at, -1,
                end > 0 ? opsUndisturbed / end : Double.NaN, end > 0 ? opsAchieved / end : Double.NaN, degradation, reason);
    }
}
