// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;
import io.migov.core.ActionKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * OpenStack nova's libvirt driver, as it steers a live migration with its default configuration
 * ({@code [libvirt] live_migration_downtime = 500}, {@code _downtime_steps = 10},
 * {@code _downtime_delay = 75}, {@code _completion_timeout = 800}). Re-implemented from
 * openstack/nova (master, 2026-08): every formula below names the function it comes from.
 *
 * <ul>
 *   <li><b>Data size</b> ({@code nova/virt/libvirt/driver.py} {@code LibvirtDriver._live_migration_data_gb}):
 *       {@code data_gb = RAM in GiB} (a float), at least 2. nova also adds each migrated disk (at least
 *       2 GiB each) for block migration; migov's hosts use shared storage, so RAM only. nova reads the
 *       flavor's RAM; we read {@link MigrationContext#memoryBytes()} (unknown = 0 → nova's minimum, 2).</li>
 *   <li><b>Downtime steps</b> ({@code nova/virt/libvirt/migration.py} {@code downtime_steps}):
 *       {@code delay = int(75 · data_gb)} s, {@code base = 500 / 10}, {@code offset = (500 − base) / 10};
 *       step i (0..10) is at {@code int(delay · i)} s and sets {@code int(base + offset · i)} ms:
 *       50, 95, 140, …, 500 ms. Note step 0 <em>lowers</em> the downtime from QEMU's 300 ms to 50 ms:
 *       that is what nova does.</li>
 *   <li><b>Applying them</b> ({@code migration.py} {@code update_downtime}, called every 0.5 s from
 *       {@code driver.py} {@code _live_migration_monitor}): the step in force is the last one whose
 *       time the elapsed time has <em>strictly</em> passed; it is set only when its value differs
 *       from the one set before, so steps passed between two looks are skipped to the latest.</li>
 *   <li><b>Completion timeout</b> ({@code _live_migration_monitor} and {@code migration.py}
 *       {@code should_trigger_timeout_action}): {@code int(800 · data_gb)} s; when the elapsed time is
 *       strictly greater and the migration is not in post-copy, the timeout action runs:
 *       {@code abort} (nova's default {@code live_migration_timeout_action}, policy {@code nova}) aborts
 *       the job; {@code force_complete} (policy {@code nova-force-complete}) queues the
 *       {@code force-complete} task, which {@code migration.py} {@code run_tasks} carries out as a
 *       switch to post-copy when the migration was started with post-copy, else by pausing the
 *       guest.</li>
 * </ul>
 *
 * <p>Deviations, all forced by the seam: time is libvirt's job elapsed time, not nova's own clock
 * started just before the job (they differ by the job's setup, well under a second); nova runs the
 * force-complete task on its next 0.5 s loop, we act on the observation that passes the timeout; and
 * a policy cannot pause a guest, so where nova would pause (force-complete without post-copy, or
 * libvirt refusing the switch, {@link #postCopyRefused}) we set the maximum downtime to QEMU's
 * largest, {@value #PAUSE_EQUIVALENT_DOWNTIME_MILLIS} ms: QEMU then stops the guest and copies the
 * rest at once, which is what pausing achieves (the guest stops until the copy is done; KubeVirt
 * does the same instead of pausing VFIO guests). After a switch, an abort or that substitute the
 * policy stays silent (nova keeps stepping the downtime in post-copy, which has no effect; after
 * the pause substitute, a later step would undo it).
 */
final class NovaPolicy implements MigrationPolicy {

    /** What {@code live_migration_timeout_action} is set to. */
    enum TimeoutAction { ABORT, FORCE_COMPLETE }

    /** nova's {@code [libvirt] live_migration_downtime} default, ms. */
    static final long DOWNTIME_MILLIS = 500;
    /** nova's {@code live_migration_downtime_steps} default. */
    static final int DOWNTIME_STEPS = 10;
    /** nova's {@code live_migration_downtime_delay} default, seconds per GiB. */
    static final int DOWNTIME_DELAY_SECONDS_PER_GIB = 75;
    /** nova's {@code live_migration_completion_timeout} default, seconds per GiB. */
    static final int COMPLETION_TIMEOUT_SECONDS_PER_GIB = 800;
    /** {@code _live_migration_data_gb}: RAM below this counts as this much, GiB. */
    static final double MIN_DATA_GIB = 2;
    /** QEMU's largest accepted downtime limit (2000 s), ms: our stand-in for nova pausing the guest. */
    static final long PAUSE_EQUIVALENT_DOWNTIME_MILLIS = 2_000_000;

    private static final double GIB = 1024.0 * 1024.0 * 1024.0;

    /** One element of nova's {@code downtime_steps}: at {@code atSeconds}, set {@code downtimeMillis}. */
    record Step(int index, long atSeconds, long downtimeMillis) {
    }

    private final TimeoutAction timeoutAction;
    private boolean started;
    private boolean postCopyPermitted;
    private double dataGib;
    private List<Step> steps = List.of();
    private long completionTimeoutSeconds;
    /** nova's {@code curdowntime}: the last value set, or -1 for none (nova's None). */
    private long currentDowntimeMillis = -1;
    private Step currentStep;
    /** The switch, abort or pause substitute; after it the policy is silent. */
    private Action terminal;

    NovaPolicy(TimeoutAction timeoutAction) {
        this.timeoutAction = Objects.requireNonNull(timeoutAction, "timeoutAction");
    }

    @Override
    public String name() {
        return timeoutAction == TimeoutAction.ABORT ? Policies.NOVA : Policies.NOVA_FORCE_COMPLETE;
    }

    /** {@code _live_migration_data_gb} for RAM only: GiB as a float, at least 2. */
    static double dataGib(long memoryBytes) {
        double ramGib = memoryBytes / GIB;
        return ramGib < MIN_DATA_GIB ? MIN_DATA_GIB : ramGib;
    }

    /** {@code downtime_steps(data_gb)} with nova's defaults; Python's int() truncates, as Java's cast does. */
    static List<Step> downtimeSteps(double dataGib) {
        long delaySeconds = (long) (DOWNTIME_DELAY_SECONDS_PER_GIB * dataGib);
        double base = (double) DOWNTIME_MILLIS / DOWNTIME_STEPS;
        double offset = (DOWNTIME_MILLIS - base) / DOWNTIME_STEPS;
        List<Step> out = new ArrayList<>(DOWNTIME_STEPS + 1);
        for (int i = 0; i <= DOWNTIME_STEPS; i++) {
            out.add(new Step(i, delaySeconds * i, (long) (base + offset * i)));
        }
        return List.copyOf(out);
    }

    /** {@code int(live_migration_completion_timeout · data_gb)}, seconds. */
    static long completionTimeoutSeconds(double dataGib) {
        return (long) (COMPLETION_TIMEOUT_SECONDS_PER_GIB * dataGib);
    }

    @Override
    public Action start(MigrationContext context) {
        Objects.requireNonNull(context, "context");
        started = true;
        postCopyPermitted = context.postCopyPermitted();
        dataGib = dataGib(context.memoryBytes());
        steps = downtimeSteps(dataGib);
        completionTimeoutSeconds = completionTimeoutSeconds(dataGib);
        // nova sets step 0 (time 0) on its first look at the running job, so does start()
        return applyStep(0, steps.get(0), "");
    }

    @Override
    public Action observe(Observation o) {
        if (!started) {
            throw new IllegalStateException(name() + ": observe before start");
        }
        if (terminal != null) {
            return Action.alreadyActed(o.iteration(), terminal);
        }
        // nova checks the completion timeout before updating the downtime, in the same loop
        if (completionTimeoutSeconds > 0 && o.elapsedMillis() > completionTimeoutSeconds * 1000) {
            return onTimeout(o);
        }
        Step due = null;
        for (Step s : steps) {
            if (o.elapsedMillis() > s.atSeconds() * 1000) {
                due = s;
            }
        }
        if (due == null || due.downtimeMillis() == currentDowntimeMillis) {
            return Action.none(o.iteration(), plan());
        }
        String skipped = currentStep != null && due.index() > currentStep.index() + 1
                ? " (steps " + (currentStep.index() + 1) + ".." + (due.index() - 1) + " passed between looks, skipped as nova does)"
                : "";
        return applyStep(o.iteration(), due, skipped);
    }

    private Action applyStep(int iteration, Step step, String note) {
        currentStep = step;
        currentDowntimeMillis = step.downtimeMillis();
        return new Action(ActionKind.RAISE_DOWNTIME, iteration, String.format(Locale.ROOT,
                "%s: downtime step %d/%d at %d s: %d ms (%d ms / %d steps, every %d s = %d s/GiB × %s GiB)%s",
                name(), step.index(), DOWNTIME_STEPS, step.atSeconds(), step.downtimeMillis(), DOWNTIME_MILLIS, DOWNTIME_STEPS,
                steps.size() > 1 ? steps.get(1).atSeconds() : 0, DOWNTIME_DELAY_SECONDS_PER_GIB, gib(dataGib), note),
                step.downtimeMillis());
    }

    private Action onTimeout(Observation o) {
        String why = String.format(Locale.ROOT, "%s: completion timeout: %.1f s elapsed > %d s (%d s/GiB × %s GiB)", name(),
                o.elapsedMillis() / 1000.0, completionTimeoutSeconds, COMPLETION_TIMEOUT_SECONDS_PER_GIB, gib(dataGib));
        if (timeoutAction == TimeoutAction.ABORT) {
            terminal = new Action(ActionKind.ABORT, o.iteration(), why + "; live_migration_timeout_action=abort", 0);
        } else if (postCopyPermitted) {
            terminal = new Action(ActionKind.SWITCH_TO_POSTCOPY, o.iteration(),
                    why + "; live_migration_timeout_action=force_complete with post-copy: switch to post-copy", 0);
        } else {
            terminal = pauseSubstitute(o.iteration(), why + "; live_migration_timeout_action=force_complete without post-copy");
        }
        return terminal;
    }

    private Action pauseSubstitute(int iteration, String why) {
        return new Action(ActionKind.RAISE_DOWNTIME, iteration, why + ": nova pauses the guest; a policy cannot, so max downtime "
                + PAUSE_EQUIVALENT_DOWNTIME_MILLIS + " ms (QEMU's largest) makes QEMU stop it and copy the rest",
                PAUSE_EQUIVALENT_DOWNTIME_MILLIS);
    }

    /**
     * libvirt refused the switch: the migration runs without post-copy, where nova's
     * {@code run_tasks} pauses the guest instead. Only {@code nova-force-complete} ever switches.
     */
    @Override
    public Action postCopyRefused(Observation last) {
        int iteration = last == null ? 0 : last.iteration();
        postCopyPermitted = false;
        if (terminal != null && terminal.kind() == ActionKind.SWITCH_TO_POSTCOPY) {
            terminal = pauseSubstitute(iteration, name() + ": libvirt refused post-copy after the completion timeout of "
                    + completionTimeoutSeconds + " s");
            return terminal;
        }
        return Action.none(iteration, name() + ": post-copy not permitted on this migration; "
                + (timeoutAction == TimeoutAction.ABORT ? "nova never switches anyway" : "will pause (max downtime) at the completion timeout"));
    }

    @Override
    public String plan() {
        if (!started) {
            return name() + ": not started";
        }
        if (terminal != null) {
            return "done: " + terminal.kind().recordName() + " at pass " + terminal.iteration();
        }
        StringBuilder sb = new StringBuilder(name()).append(": ");
        int next = currentStep == null ? 0 : currentStep.index() + 1;
        if (next < steps.size()) {
            Step s = steps.get(next);
            sb.append(String.format(Locale.ROOT, "downtime step %d/%d after %d s: %d ms; ", s.index(), DOWNTIME_STEPS, s.atSeconds(),
                    s.downtimeMillis()));
        } else {
            sb.append("downtime at its last step, ").append(currentDowntimeMillis).append(" ms; ");
        }
        String action = timeoutAction == TimeoutAction.ABORT ? "abort"
                : postCopyPermitted ? "switch_to_postcopy" : "raise_downtime to " + PAUSE_EQUIVALENT_DOWNTIME_MILLIS + " ms (pause)";
        sb.append(String.format(Locale.ROOT, "%s after %d s (%d s/GiB × %s GiB)", action, completionTimeoutSeconds,
                COMPLETION_TIMEOUT_SECONDS_PER_GIB, gib(dataGib)));
        return sb.toString();
    }

    /** data_gb as nova would print it: 2 → "2", 2.5 → "2.5". */
    private static String gib(double dataGib) {
        return dataGib == Math.rint(dataGib) ? Long.toString((long) dataGib) : String.format(Locale.ROOT, "%.3f", dataGib).replaceAll("0+$", "");
    }

    // --- for tests -------------------------------------------------------------------------------

    double dataGib() {
        return dataGib;
    }

    List<Step> steps() {
        return steps;
    }

    long completionTimeoutSeconds() {
        return completionTimeoutSeconds;
    }
}
