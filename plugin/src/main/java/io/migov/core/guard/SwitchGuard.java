// SPDX-License-Identifier: Apache-2.0
package io.migov.core.guard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * May a post-copy switch go now? After the switch the guest runs on the destination and fetches every page
 * it lacks over the link: a link that breaks then costs the guest (issue 12), and a transfer that cannot end
 * in time only leaves it slower for longer. So a switch any policy decides is held while
 * <ul>
 *   <li><b>the link looks unhealthy</b> (migov's): no byte sent for {@code stallMillis}, or the rate over the
 *       last {@code stallMillis} below {@code collapseShare} of the median rate of the last 30 s, in two
 *       readings in a row. Bytes sent, not QEMU's rate: a rate can stay at its last value while the
 *       migration thread blocks on a dead socket, a byte count cannot grow;</li>
 *   <li><b>the remaining transfer cannot finish within {@code budgetFactor} budgets</b> (KubeVirt's
 *       {@code canFinishByDeadline}): the bytes remaining at the pass start, at the EWMA of QEMU's rate,
 *       take longer than what is left of {@code budgetFactor × secondsPerGiB × ⌈GiB to move⌉} since the
 *       migration started.</li>
 * </ul>
 * What cannot be judged (fewer than two readings a second apart, a counter libvirt does not report, no rate
 * measured yet) does not hold a switch. Pure: readings in, verdict out.
 */
public final class SwitchGuard {

    static final long MEDIAN_WINDOW_MILLIS = 30_000;
    static final long MIN_INTERVAL_MILLIS = 500;
    static final long MIN_SPAN_MILLIS = 1000;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    private SwitchGuard() {
    }

    public static GuardVerdict judge(GuardHistory history, GuardSettings settings) {
        if (!settings.enabled()) {
            return GuardVerdict.allow("guard off");
        }
        GuardVerdict link = linkHealth(history.readings(), settings);
        if (!link.allowed()) {
            return link;
        }
        GuardVerdict budget = budget(history, settings);
        if (!budget.allowed()) {
            return budget;
        }
        return GuardVerdict.allow(link.reason() + "; " + budget.reason());
    }

    /** U1 (nothing sent) and U2 (rate collapsed in two readings in a row) over the readings, oldest first. */
    static GuardVerdict linkHealth(List<GuardReading> rs, GuardSettings s) {
        int i = rs.size() - 1;
        if (i < 1 || rs.get(i).processedBytes() < 0) {
            return GuardVerdict.allow("link not judged (no bytes-sent counter over a second yet)");
        }
        int k = windowStart(rs, i, s.stallMillis());
        if (k < 0) {
            return GuardVerdict.allow("link not judged (readings span less than a second)");
        }
        GuardReading now = rs.get(i);
        GuardReading then = rs.get(k);
        if (then.processedBytes() >= 0 && now.processedBytes() - then.processedBytes() <= 0) {
            return GuardVerdict.hold(String.format(Locale.ROOT, "link looks unhealthy: no byte sent for %.1f s",
                    (now.elapsedMillis() - then.elapsedMillis()) / 1000.0));
        }
        double[] collapse = collapse(rs, i, s);
        if (collapse != null && collapse(rs, i - 1, s) != null) {
            return GuardVerdict.hold(String.format(Locale.ROOT,
                    "link looks unhealthy: %.1f MiB/s over the last %.1f s, below %.2f of the last 30 s's median %.1f MiB/s",
                    collapse[0] / MIB, collapse[2] / 1000.0, s.collapseShare(), collapse[1] / MIB));
        }
        return GuardVerdict.allow("link healthy");
    }

    /**
     * {rate, median, window ms} when the rate over the stall window ending at reading {@code j} is below
     * {@code collapseShare} of the median per-interval rate of the 30 s ending there; null otherwise.
     */
    private static double[] collapse(List<GuardReading> rs, int j, GuardSettings s) {
        if (j < 1) {
            return null;
        }
        int k = windowStart(rs, j, s.stallMillis());
        if (k < 0 || rs.get(k).processedBytes() < 0 || rs.get(j).processedBytes() < 0) {
            return null;
        }
        long span = rs.get(j).elapsedMillis() - rs.get(k).elapsedMillis();
        double rate = (rs.get(j).processedBytes() - rs.get(k).processedBytes()) * 1000.0 / span;
        List<Double> rates = new ArrayList<>();
        for (int x = j; x >= 1 && rs.get(x).elapsedMillis() >= rs.get(j).elapsedMillis() - MEDIAN_WINDOW_MILLIS; x--) {
            GuardReading b = rs.get(x);
            GuardReading a = rs.get(x - 1);
            long dt = b.elapsedMillis() - a.elapsedMillis();
            if (dt >= MIN_INTERVAL_MILLIS && a.processedBytes() >= 0 && b.processedBytes() >= 0) {
                rates.add((b.processedBytes() - a.processedBytes()) * 1000.0 / dt);
            }
        }
        double median = median(rates);
        return median > 0 && rate < s.collapseShare() * median ? new double[] {rate, median, span} : null;
    }

    /**
     * The newest reading at least {@code windowMillis} before reading {@code j}; else the oldest one when it is at
     * least a second before; else -1 (not judged yet).
     */
    static int windowStart(List<GuardReading> rs, int j, long windowMillis) {
        long t = rs.get(j).elapsedMillis();
        for (int k = j - 1; k >= 0; k--) {
            if (t - rs.get(k).elapsedMillis() >= windowMillis) {
                return k;
            }
        }
        return t - rs.get(0).elapsedMillis() >= MIN_SPAN_MILLIS ? 0 : -1;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(v);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** KubeVirt's check: can the bytes remaining at the pass start be sent before {@code budgetFactor} budgets end? */
    static GuardVerdict budget(GuardHistory h, GuardSettings s) {
        List<GuardReading> rs = h.readings();
        if (rs.isEmpty()) {
            return GuardVerdict.allow("budget not judged (no reading)");
        }
        GuardReading now = rs.get(rs.size() - 1);
        if (now.totalBytes() <= 0) {
            return GuardVerdict.allow("budget not judged (memory to move unknown)");
        }
        double rate = h.ewmaBytesPerSecond();
        if (rate <= 0) {
            // QEMU reports 0 until it has measured a rate (the first readings of every migration): no evidence
            // either way, and a link that died from the start is the link check's to see (bytes processed)
            return GuardVerdict.allow("budget not judged (no transfer rate measured yet)");
        }
        long remaining = h.remainingAtPassStart() >= 0 ? h.remainingAtPassStart() : now.remainingBytes();
        if (remaining < 0) {
            return GuardVerdict.allow("budget not judged (remaining bytes unknown)");
        }
        long gib = (long) Math.ceil(now.totalBytes() / GIB);
        long deadlineSeconds = (long) Math.floor(s.budgetFactor() * s.secondsPerGiB() * Math.max(1, gib));
        long leftMillis = (deadlineSeconds - now.elapsedMillis() / 1000) * 1000;
        String budget = String.format(Locale.ROOT, "%d s (%s × %d s/GiB × %d GiB)", deadlineSeconds, trim(s.budgetFactor()),
                s.secondsPerGiB(), Math.max(1, gib));
        double impliedMillis = Math.min(4_294_967_295.0, Math.floor(remaining / (rate / 1000)));
        String what = String.format(Locale.ROOT, "the remaining %d MiB at %.1f MiB/s take %.0f ms", Math.round(remaining / MIB),
                rate / MIB, impliedMillis);
        if (impliedMillis <= leftMillis) {
            return GuardVerdict.allow(what + ", within the " + leftMillis + " ms left of " + budget);
        }
        return GuardVerdict.hold(what + ", more than the " + Math.max(0, leftMillis) + " ms left of " + budget);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
