// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * KubeVirt's migration stall detector (VEP 248, kubevirt/enhancements
 * {@code veps/sig-compute/248-migration-convergence/vep.md}), re-implemented from kubevirt/kubevirt
 * (main, 2026-08): {@code pkg/virt-launcher/virtwrap/stall-detector.go} (the detector) and
 * {@code pkg/virt-launcher/virtwrap/live-migration-source.go} (how virt-launcher's migration monitor
 * feeds it and acts), with KubeVirt's defaults ({@code pkg/virt-config/virt-config.go}) and
 * post-copy allowed ({@code allowPostCopy}; {@code allowWorkloadDisruption} follows it, as KubeVirt
 * defaults it to).
 *
 * <ul>
 *   <li><b>Records only at pass boundaries</b> ({@code handleStallDetection}): a record is
 *       (elapsed ms, remaining bytes) taken when a pass begins. Between boundaries libvirt's
 *       remaining bytes count down through the pass and jump back at the next dirty-bitmap sync, so
 *       a poll's value would read as false progress. Polls feed the bandwidth estimate and the
 *       completion timeouts. Everything is timed by elapsed time, not by passes.</li>
 *   <li><b>Stall</b> ({@code updateCandidates}, {@code checkStallCondition}): a boundary is stalled
 *       when its remaining bytes are not below {@code (1 − 4 %)} of the smallest remaining bytes of
 *       the records at least the window (KubeVirt's {@code stallProgressTimeout}, default 40 s)
 *       older. No record that old yet → not stalled.</li>
 *   <li><b>Local minimum</b> ({@code findBestRemainingBytes}, {@code isAtLocalMinima},
 *       {@code relaxBestRemainingBytes}): at the stall the target is the best remaining bytes seen
 *       (outside the window or in it); act at a boundary whose remaining bytes are within 4 % above
 *       it. Boundaries after the stall go into a min-heap; when the patience (first the window, then
 *       halved each time, {@code patienceWindowDecayFactor} 0.5) runs out, the target is relaxed to
 *       the smallest value popped from that heap.</li>
 *   <li><b>Bandwidth</b> ({@code updateBandwidthEstimate}): an EWMA, seeded with the first sample,
 *       then {@code 0.4 · sample + 0.6 · estimate}. Until there is a sample boundaries are skipped
 *       entirely ({@code processStallDetectionIteration}).</li>
 *   <li><b>Budget</b> ({@code decideAction}, {@code canFinishByDeadline}, {@code estimateDowntimeMs};
 *       the VEP's "post-copy network risk mitigation"): the budget is KubeVirt's acceptable
 *       completion time, {@code completionTimeoutPerGiB} (150 s) × the migration's data size, from
 *       {@code newMigrationMonitor} and {@code getVMIMigrationDataSize}
 *       ({@code pkg/virt-launcher/virtwrap/manager.go}) — which, despite the name, counts decimal GB
 *       rounded up ({@code Quantity.ScaledValue(resource.Giga)}: 512 MiB → 1, 4 GiB → 5). At a local
 *       minimum it refuses to act unless {@code remaining ÷ EWMA} (ms, truncated) ≤
 *       {@code (2 × budget − elapsed s) × 1000}: the transfer must fit before twice the budget.</li>
 *   <li><b>Action</b> ({@code decideAction}, {@code triggerConvergenceAction}): with post-copy,
 *       switch to post-copy. Without post-copy ({@code allowPostCopy} false, so
 *       {@code allowWorkloadDisruption} false too): stop-and-copy at KubeVirt's {@code maxDowntimeMs}
 *       (default 900 ms) if the estimated downtime is within it or within 1.5 × it
 *       ({@code precopyPossibleFactor}), as raise_downtime; else abort. A stop-and-copy that has not
 *       finished within {@code switchoverTimeout} (60 s) is aborted.</li>
 *   <li><b>Completion timeout</b> ({@code processCompletionTimeouts}, {@code shouldTriggerTimeout}),
 *       checked on every observation: once elapsed whole seconds exceed the budget (or a
 *       stop-and-copy's 60 s deadline): abort without a bandwidth estimate; otherwise, if no
 *       stop-and-copy is under way, post-copy is permitted and the last boundary's transfer fits
 *       before twice the budget, switch to post-copy; otherwise abort.</li>
 * </ul>
 *
 * <p>Deviations. (1) libvirt refusing post-copy ({@link #postCopyRefused}) means the migration runs
 * without it, which for KubeVirt is {@code allowPostCopy} false: the refused decision is taken again
 * on the same boundary the pre-copy-only way (stop-and-copy or abort; at the completion timeout,
 * abort). KubeVirt itself, having started the job with post-copy, only logs the error and retries.
 * (2) KubeVirt polls every 400 ms and feeds the EWMA only from polls; migov polls about once a
 * second and a stalled migration's passes are often shorter, so there may be no poll between them:
 * boundary observations feed the EWMA too, after the boundary's own decision (which, as in KubeVirt,
 * uses the estimate from before it). A rate of 0 means unknown here and is skipped (KubeVirt skips
 * unset samples). (3) KubeVirt times decisions with its own clock from the start of its monitor; we
 * use libvirt's elapsed time throughout. (4) With the guest's memory unknown (0) KubeVirt's budget
 * would be 0, disabling the timeout but also making every switch "unable to finish": the policy
 * would never act. Here the timeout is disabled and the budget check skipped, saying so. (5)
 * KubeVirt first pins the downtime to min(maxDowntimeMs, 300 ms) — QEMU's default 300 ms with
 * KubeVirt's defaults — we leave the migration's own. Its {@code maxDowntimeMs} is the migration's
 * own maximum when that is above 900 ms, so stop-and-copy never lowers it.
 */
final class KubevirtStallPolicy implements MigrationPolicy {

    /** KubeVirt's {@code DefaultStallProgressTimeout}, ms. */
    static final long DEFAULT_WINDOW_MILLIS = 40_000;
    /** {@code DefaultStallMargin}: 4 %. */
    static final double STALL_MARGIN = 0.04;
    /** {@code DefaultEwmaAlpha}. */
    static final double EWMA_ALPHA = 0.4;
    /** {@code DefaultCompletionTimeoutFactor}: a switch must fit before this × the budget. */
    static final double COMPLETION_TIMEOUT_FACTOR = 2;
    /** {@code DefaultPatienceWindowDecayFactor}. */
    static final double PATIENCE_DECAY_FACTOR = 0.5;
    /** {@code MigrationCompletionTimeoutPerGiB}'s default, seconds per (decimal, rounded-up) GB. */
    static final long COMPLETION_TIMEOUT_SECONDS_PER_GB = 150;
    /** {@code DefaultMigrationMaxDowntimeMs}. */
    static final long MAX_DOWNTIME_MILLIS = 900;
    /** {@code DefaultPrecopyPossibleFactor}. */
    static final double PRECOPY_POSSIBLE_FACTOR = 1.5;
    /** {@code DefaultSwitchoverTimeout}: a stop-and-copy must finish within this, seconds. */
    static final long SWITCHOVER_TIMEOUT_SECONDS = 60;
    /** {@code resource.Giga}. */
    private static final long GB = 1_000_000_000L;
    private static final double MIB = 1024.0 * 1024.0;
    /** estimateDowntimeMs returns a uint32. */
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    /** One pass boundary: KubeVirt's {@code iterationRecord}. */
    private record Boundary(long elapsedMillis, long remainingBytes, int iteration) {
    }

    /** What asked for the post-copy switch, so a refusal can be re-decided the same way. */
    private enum SwitchSource { STALL, TIMEOUT }

    private final long windowMillis;
    /** {@code completionTimeoutPerGiB}: seconds of budget per (decimal, rounded-up) GB. */
    private final long completionSecondsPerGB;
    private boolean started;
    private boolean postCopyPermitted;
    /** KubeVirt's acceptableCompletionTime, s; 0 = guest memory unknown. */
    private long budgetSeconds;
    private long switchOverDeadlineSeconds;
    private long maxDowntimeMillis;
    private double ewmaBytesPerSecond;
    private final Deque<Boundary> candidates = new ArrayDeque<>();
    private Boundary minOutsideWindow;
    private Boundary lastBoundary;
    private boolean stallDetected;
    private long stallElapsedMillis;
    private long bestRemainingBytes;
    private PriorityQueue<Long> sinceStall;
    private long relaxationPatienceMillis;
    private long relaxationDeadlineMillis;
    /** A stop-and-copy (raise_downtime) under way: no more stall decisions, abort at its deadline. */
    private Action stopAndCopy;
    private SwitchSource switchSource;
    /** The switch or abort; after it the policy is silent. */
    private Action terminal;

    /**
     * @param windowMillis the stall window (KubeVirt's {@code stallProgressTimeout}), ms, ≥ 1;
     *                     also the first relaxation patience
     */
    KubevirtStallPolicy(long windowMillis) {
        this(windowMillis, COMPLETION_TIMEOUT_SECONDS_PER_GB);
    }

    /**
     * @param windowMillis           as above
     * @param completionSecondsPerGB KubeVirt's {@code completionTimeoutPerGiB}, s per (decimal, rounded-up) GB, ≥ 1
     */
    KubevirtStallPolicy(long windowMillis, long completionSecondsPerGB) {
        if (windowMillis < 1) {
            throw new IllegalArgumentException("windowMillis: expected ≥ 1, got " + windowMillis);
        }
        if (completionSecondsPerGB < 1) {
            throw new IllegalArgumentException("completionSecondsPerGB: expected ≥ 1, got " + completionSecondsPerGB);
        }
        this.windowMillis = windowMillis;
        this.completionSecondsPerGB = completionSecondsPerGB;
    }

    @Override
    public String name() {
        return Policies.KUBEVIRT_STALL;
    }

    /** {@code completionTimeoutPerGiB × getVMIMigrationDataSize}: 150 s × ceil(bytes / 10⁹) by default. */
    static long budgetSeconds(long memoryBytes, long secondsPerGB) {
        long gb = memoryBytes / GB + (memoryBytes % GB == 0 ? 0 : 1);
        return secondsPerGB * gb;
    }

    @Override
    public Action start(MigrationContext context) {
        Objects.requireNonNull(context, "context");
        started = true;
        postCopyPermitted = context.postCopyPermitted();
        budgetSeconds = budgetSeconds(context.memoryBytes(), completionSecondsPerGB);
        switchOverDeadlineSeconds = budgetSeconds;
        maxDowntimeMillis = Math.max(MAX_DOWNTIME_MILLIS, context.allowedDowntimeMillis());
        return Action.none(0, plan());
    }

    @Override
    public Action observe(Observation o) {
        if (!started) {
            throw new IllegalStateException(name() + ": observe before start");
        }
        if (terminal != null) {
            return Action.alreadyActed(o.iteration(), terminal);
        }
        String note;
        if (o.newPass()) {
            lastBoundary = new Boundary(o.elapsedMillis(), o.remainingBytes(), o.iteration());
            Decided d = onBoundary(lastBoundary, o.elapsedMillis());
            updateBandwidth(o.transferRateBytesPerSecond());
            if (d.action != null) {
                return d.action;
            }
            note = d.reason;
        } else {
            updateBandwidth(o.transferRateBytesPerSecond());
            note = "poll: bandwidth EWMA " + mib(ewmaBytesPerSecond) + " MiB/s; " + plan();
        }
        Action timeout = completionTimeout(o.iteration(), o.elapsedMillis());
        return timeout != null ? timeout : Action.none(o.iteration(), name() + ": " + note);
    }

    /** A decision: an action, or none with its reason. */
    private record Decided(Action action, String reason) {
        static Decided none(String reason) {
            return new Decided(null, reason);
        }
    }

    // --- the detector (stall-detector.go) ---------------------------------------------------------

    /** {@code updateBandwidthEstimate}; 0 = no sample. */
    private void updateBandwidth(double sampleBytesPerSecond) {
        if (sampleBytesPerSecond <= 0) {
            return;
        }
        ewmaBytesPerSecond = ewmaBytesPerSecond == 0 ? sampleBytesPerSecond
                : EWMA_ALPHA * sampleBytesPerSecond + (1 - EWMA_ALPHA) * ewmaBytesPerSecond;
    }

    /** {@code processStallDetectionIteration} then, when stalled, {@code decideAction}. */
    private Decided onBoundary(Boundary r, long elapsedMillis) {
        if (ewmaBytesPerSecond == 0) {
            return Decided.none("no bandwidth sample yet: pass " + r.iteration() + " not recorded (as KubeVirt)");
        }
        if (stopAndCopy != null) {
            return Decided.none(stopAndCopyNote());
        }
        updateCandidates(r);
        String stall;
        if (stallDetected) {
            relax(r);
            stall = "stalled since " + seconds(stallElapsedMillis) + " s";
        } else if (minOutsideWindow != null && r.remainingBytes() >= (long) (minOutsideWindow.remainingBytes() * (1 - STALL_MARGIN))) {
            bestRemainingBytes = minOutsideWindow.remainingBytes();
            for (Boundary c : candidates) {
                bestRemainingBytes = Math.min(bestRemainingBytes, c.remainingBytes());
            }
            sinceStall = new PriorityQueue<>();
            relaxationPatienceMillis = windowMillis;
            relaxationDeadlineMillis = r.elapsedMillis() + relaxationPatienceMillis;
            stallDetected = true;
            stallElapsedMillis = r.elapsedMillis();
            stall = String.format(Locale.ROOT, "stall detected: remaining %s MiB at %s s not below %.0f%% of %s MiB, the best at least %s s"
                            + " older (%s s); best %s MiB", mib(r.remainingBytes()), seconds(r.elapsedMillis()), (1 - STALL_MARGIN) * 100,
                    mib(minOutsideWindow.remainingBytes()), seconds(windowMillis), seconds(minOutsideWindow.elapsedMillis()),
                    mib(bestRemainingBytes));
        } else {
            return Decided.none(minOutsideWindow == null
                    ? "pass " + r.iteration() + ": no boundary " + seconds(windowMillis) + " s older yet; not stalled"
                    : String.format(Locale.ROOT, "pass %d: remaining %s MiB at %s s is below %.0f%% of %s MiB (best at least %s s older): "
                            + "not stalled", r.iteration(), mib(r.remainingBytes()), seconds(r.elapsedMillis()), (1 - STALL_MARGIN) * 100,
                    mib(minOutsideWindow.remainingBytes()), seconds(windowMillis)));
        }
        return decide(r, elapsedMillis, stall);
    }

    /** {@code updateCandidates}: age candidates out of the window, keep an increasing-time, decreasing-bytes queue. */
    private void updateCandidates(Boundary r) {
        while (!candidates.isEmpty() && r.elapsedMillis() - candidates.peekFirst().elapsedMillis() >= windowMillis) {
            Boundary old = candidates.pollFirst();
            if (minOutsideWindow == null || old.remainingBytes() < minOutsideWindow.remainingBytes()) {
                minOutsideWindow = old;
            }
        }
        if (minOutsideWindow != null && r.remainingBytes() > minOutsideWindow.remainingBytes()) {
            return; // can never become the minimum outside the window
        }
        if (!candidates.isEmpty() && r.remainingBytes() >= candidates.peekLast().remainingBytes()) {
            return; // an older, smaller candidate ages out first
        }
        candidates.addLast(r);
    }

    /** {@code relaxBestRemainingBytes}: after the patience, aim for the smallest value since the stall not yet tried. */
    private void relax(Boundary r) {
        sinceStall.add(r.remainingBytes());
        if (r.elapsedMillis() < relaxationDeadlineMillis) {
            return;
        }
        bestRemainingBytes = sinceStall.poll();
        relaxationPatienceMillis = (long) (relaxationPatienceMillis * PATIENCE_DECAY_FACTOR);
        relaxationDeadlineMillis = r.elapsedMillis() + relaxationPatienceMillis;
    }

    /** {@code estimateDowntimeMs}: remaining ÷ EWMA, ms, truncated, at most 2³² − 1; 0 without an estimate. */
    private long estimatedTransferMillis(long remainingBytes) {
        if (ewmaBytesPerSecond == 0) {
            return 0;
        }
        double ms = remainingBytes / (ewmaBytesPerSecond / 1000);
        return ms > MAX_UINT32 ? MAX_UINT32 : (long) ms;
    }

    /** {@code canFinishByDeadline}, or null when it can; else why not. Skipped when the budget is unknown. */
    private String beyondBudget(long estimatedMillis, long elapsedMillis) {
        if (budgetSeconds == 0) {
            return null;
        }
        long deadlineSeconds = (long) (budgetSeconds * COMPLETION_TIMEOUT_FACTOR);
        long remainingBudgetMillis = (deadlineSeconds - elapsedMillis / 1000) * 1000;
        if (ewmaBytesPerSecond > 0 && estimatedMillis <= remainingBudgetMillis) {
            return null;
        }
        return String.format(Locale.ROOT, "estimated transfer time %d ms (at %s MiB/s) exceeds the remaining budget %d ms before %d s"
                + " (%.0f × %d s budget)", estimatedMillis, mib(ewmaBytesPerSecond), remainingBudgetMillis, deadlineSeconds,
                COMPLETION_TIMEOUT_FACTOR, budgetSeconds);
    }

    /** {@code decideAction} at a stalled boundary. */
    private Decided decide(Boundary r, long elapsedMillis, String stall) {
        long target = (long) (bestRemainingBytes * (1 + STALL_MARGIN));
        if (r.remainingBytes() > target) {
            return Decided.none(String.format(Locale.ROOT, "%s; pass %d: remaining %s MiB above the local-minimum target %s MiB (best %s MiB"
                            + " + %.0f%%; relaxed after %s s)", stall, r.iteration(), mib(r.remainingBytes()), mib(target),
                    mib(bestRemainingBytes), STALL_MARGIN * 100, seconds(relaxationDeadlineMillis)));
        }
        long estimated = estimatedTransferMillis(r.remainingBytes());
        String at = String.format(Locale.ROOT, "%s; pass %d at a local minimum: remaining %s MiB ≤ %s MiB (best + %.0f%%), estimated "
                + "transfer %d ms at %s MiB/s", stall, r.iteration(), mib(r.remainingBytes()), mib(target), STALL_MARGIN * 100, estimated,
                mib(ewmaBytesPerSecond));
        String refused = beyondBudget(estimated, elapsedMillis);
        if (refused != null) {
            return Decided.none(at + "; not switching: " + refused);
        }
        String budget = budgetSeconds == 0 ? "; budget unknown (guest memory unknown): not checked"
                : "; fits before " + (long) (budgetSeconds * COMPLETION_TIMEOUT_FACTOR) + " s";
        if (postCopyPermitted) {
            switchSource = SwitchSource.STALL;
            terminal = new Action(ActionKind.SWITCH_TO_POSTCOPY, r.iteration(), name() + ": " + at + budget + ": switch to post-copy", 0);
            return new Decided(terminal, null);
        }
        return new Decided(preCopyOnly(r.iteration(), elapsedMillis, estimated, name() + ": " + at + budget + "; no post-copy"), null);
    }

    /** {@code decideAction} without post-copy and without workload disruption: soft stop-and-copy or abort. */
    private Action preCopyOnly(int iteration, long elapsedMillis, long estimatedMillis, String why) {
        if (estimatedMillis <= maxDowntimeMillis * PRECOPY_POSSIBLE_FACTOR) {
            switchOverDeadlineSeconds = elapsedMillis / 1000 + SWITCHOVER_TIMEOUT_SECONDS;
            String within = estimatedMillis <= maxDowntimeMillis ? "within max downtime " + maxDowntimeMillis + " ms"
                    : "within " + PRECOPY_POSSIBLE_FACTOR + " × max downtime " + maxDowntimeMillis + " ms";
            stopAndCopy = new Action(ActionKind.RAISE_DOWNTIME, iteration, why + ": estimated downtime " + estimatedMillis + " ms " + within
                    + ": stop-and-copy, max downtime " + maxDowntimeMillis + " ms; abort if not done after " + switchOverDeadlineSeconds + " s",
                    maxDowntimeMillis);
            return stopAndCopy;
        }
        terminal = new Action(ActionKind.ABORT, iteration, why + ": estimated downtime " + estimatedMillis + " ms exceeds "
                + PRECOPY_POSSIBLE_FACTOR + " × max downtime " + maxDowntimeMillis + " ms: abort", 0);
        return terminal;
    }

    // --- the monitor's timeouts (live-migration-source.go) ---------------------------------------

    /** {@code processCompletionTimeouts}: null while the deadline has not passed. */
    private Action completionTimeout(int iteration, long elapsedMillis) {
        long elapsedSeconds = elapsedMillis / 1000;
        if (budgetSeconds == 0 || elapsedSeconds <= switchOverDeadlineSeconds) {
            return null;
        }
        if (ewmaBytesPerSecond == 0) {
            terminal = new Action(ActionKind.ABORT, iteration, name() + ": completion timeout " + switchOverDeadlineSeconds
                    + " s passed with no bandwidth sample: abort (KubeVirt: illegal state)", 0);
            return terminal;
        }
        if (stopAndCopy != null) {
            terminal = new Action(ActionKind.ABORT, iteration, name() + ": stop-and-copy set at pass " + stopAndCopy.iteration()
                    + " has not finished by " + switchOverDeadlineSeconds + " s (" + SWITCHOVER_TIMEOUT_SECONDS + " s switchover timeout): abort", 0);
            return terminal;
        }
        long remaining = lastBoundary == null ? 0 : lastBoundary.remainingBytes();
        long estimated = estimatedTransferMillis(remaining);
        String why = String.format(Locale.ROOT, "%s: completion timeout: %d s elapsed > %d s (%d s × %d GB)", name(), elapsedSeconds,
                budgetSeconds, completionSecondsPerGB, budgetSeconds / completionSecondsPerGB);
        String refused = beyondBudget(estimated, elapsedMillis);
        if (postCopyPermitted && refused == null) {
            switchSource = SwitchSource.TIMEOUT;
            terminal = new Action(ActionKind.SWITCH_TO_POSTCOPY, iteration, why + "; estimated transfer " + estimated
                    + " ms fits before " + (long) (budgetSeconds * COMPLETION_TIMEOUT_FACTOR) + " s: switch to post-copy", 0);
            return terminal;
        }
        terminal = new Action(ActionKind.ABORT, iteration, why + (postCopyPermitted ? "; " + refused : "; no post-copy") + ": abort", 0);
        return terminal;
    }

    /**
     * libvirt refused the switch: the migration runs without post-copy, which KubeVirt runs with
     * {@code allowPostCopy} (and so {@code allowWorkloadDisruption}) false. The refused decision is
     * taken again that way: at a stalled local minimum, stop-and-copy or abort; at the completion
     * timeout, abort.
     */
    @Override
    public Action postCopyRefused(Observation last) {
        int iteration = last == null ? 0 : last.iteration();
        long elapsedMillis = last == null ? 0 : last.elapsedMillis();
        postCopyPermitted = false;
        if (terminal == null || terminal.kind() != ActionKind.SWITCH_TO_POSTCOPY) {
            return Action.none(iteration, name() + ": post-copy not permitted on this migration; at a stall: stop-and-copy within "
                    + PRECOPY_POSSIBLE_FACTOR + " × " + maxDowntimeMillis + " ms, else abort");
        }
        terminal = null;
        String refused = name() + ": libvirt refused post-copy at pass " + iteration;
        if (switchSource == SwitchSource.TIMEOUT || lastBoundary == null) {
            terminal = new Action(ActionKind.ABORT, iteration, refused + " after the completion timeout (" + switchOverDeadlineSeconds
                    + " s); KubeVirt without post-copy: abort", 0);
            return terminal;
        }
        return preCopyOnly(iteration, elapsedMillis, estimatedTransferMillis(lastBoundary.remainingBytes()),
                refused + " at a local minimum (remaining " + mib(lastBoundary.remainingBytes()) + " MiB); KubeVirt without post-copy");
    }

    @Override
    public String plan() {
        if (!started) {
            return name() + ": not started";
        }
        if (terminal != null) {
            return "done: " + terminal.kind().recordName() + " at pass " + terminal.iteration();
        }
        if (stopAndCopy != null) {
            return name() + ": " + stopAndCopyNote();
        }
        String act = postCopyPermitted ? "switch_to_postcopy" : "stop-and-copy (max downtime " + maxDowntimeMillis + " ms) or abort";
        String timeout = budgetSeconds == 0 ? "no completion timeout (guest memory unknown)"
                : "completion timeout after " + switchOverDeadlineSeconds + " s";
        if (stallDetected) {
            return String.format(Locale.ROOT, "%s: stalled since %s s; %s at a boundary with remaining ≤ %s MiB (best + %.0f%%, relaxed after"
                            + " %s s); %s", name(), seconds(stallElapsedMillis), act, mib((long) (bestRemainingBytes * (1 + STALL_MARGIN))),
                    STALL_MARGIN * 100, seconds(relaxationDeadlineMillis), timeout);
        }
        return String.format(Locale.ROOT, "%s: watching for a stall (remaining bytes not below %.0f%% of the best at least %s s older); then"
                + " %s at a local minimum; %s", name(), (1 - STALL_MARGIN) * 100, seconds(windowMillis), act, timeout);
    }

    private String stopAndCopyNote() {
        return "stop-and-copy under way since pass " + stopAndCopy.iteration() + " (max downtime " + stopAndCopy.downtimeMillis()
                + " ms); abort if not done after " + switchOverDeadlineSeconds + " s";
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / MIB);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    // --- for tests -------------------------------------------------------------------------------

    double ewmaBytesPerSecond() {
        return ewmaBytesPerSecond;
    }

    long budgetSeconds() {
        return budgetSeconds;
    }

    boolean stallDetected() {
        return stallDetected;
    }

    long bestRemainingBytes() {
        return bestRemainingBytes;
    }
}
