// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Watches the passes of one pre-copy migration and finds its convergence point.
 *
 * <p>Two questions are answered after every pass:
 * <ol>
 *   <li><b>Will pre-copy finish by itself?</b> The remaining data is projected forward: a pass that
 *       sends R bytes at B bytes/s lets the guest dirty {@code R · D/B} bytes meanwhile (D = dirty
 *       bytes/s), so R shrinks by the ratio D/B per pass. If R fits the allowed downtime
 *       ({@code B · downtime}) now or within {@code completionPasses} passes, the verdict is
 *       WILL_COMPLETE: switching would only add post-copy page faults.</li>
 *   <li><b>Has it stalled?</b> Either pre-copy cannot catch up — dirty bytes/s against transfer
 *       bytes/s leave less shrinkage per pass than the noise margin, known from the first pass that
 *       reports a dirty rate — or, after KubeVirt's VEP-248 stall detector, a pass is stalled when its
 *       remaining bytes are not below the best of the passes at least {@code stallWindowIterations}
 *       earlier by more than the noise margin. Once stalled, act at a local minimum: when remaining
 *       bytes are within the margin of the best seen since the stall began, or after
 *       {@code patienceIterations} stalled passes anyway. That pass is the convergence point
 *       (verdict STALLED); more passes will not help.</li>
 *   <li><b>Can it finish by pass m?</b> Given the pass budget m of Algorithm 1 (a detector built
 *       with {@code maxIterations}), the same projection tells how many more passes pre-copy needs
 *       to fit the downtime. Algorithm 1 switches at pass m unless the rest fits within
 *       {@code completionPasses} then, so a pass from which pre-copy needs more than
 *       {@code m + completionPasses − pass} passes is the convergence point too (verdict STALLED):
 *       the passes until m would only resend pages. This catches a writer that saturates its
 *       working set, whose measured dirty rate (distinct pages per pass) stays just below the
 *       bandwidth, passes before the remaining bytes show the stall.</li>
 * </ol>
 * Otherwise the verdict is the dirty-rate trend over the last three known rates. One detector per
 * migration; not thread-safe.
 */
public final class ConvergenceDetector {

    private static final int TREND_WINDOW = 3;
    /** Beyond any pass budget (maxIterations ≤ 1000, completionPasses ≤ 10): "never" for every rule. */
    private static final int MAX_PROJECTED_PASSES = 10_000;
    private static final double MIB = 1024.0 * 1024.0;

    private final ConvergenceSettings settings;
    private final long allowedDowntimeMillis;
    /** m: Algorithm 1 switches at this pass at the latest; Integer.MAX_VALUE = no budget known. */
    private final int maxIterations;
    private final List<IterationRecord> history = new ArrayList<>();
    private int consecutiveStalled;
    private int convergencePoint = -1;
    private Assessment last;
    /** Set by {@link #stallCheck} while stalled but waiting for a local minimum. */
    private String pendingStall;

    /**
     * @param allowedDowntimeMillis the migration's current maximum downtime (QEMU's default is 300)
     */
    public ConvergenceDetector(ConvergenceSettings settings, long allowedDowntimeMillis) {
        this(settings, allowedDowntimeMillis, Integer.MAX_VALUE);
    }

    /**
     * @param maxIterations m, the pass at which Algorithm 1 switches at the latest: enables the
     *                      "cannot finish by pass m" rule
     */
    public ConvergenceDetector(ConvergenceSettings settings, long allowedDowntimeMillis, int maxIterations) {
        if (allowedDowntimeMillis < 1) {
            throw new IllegalArgumentException("allowedDowntimeMillis: expected ≥ 1, got " + allowedDowntimeMillis);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations: expected ≥ 1, got " + maxIterations);
        }
        this.settings = settings;
        this.allowedDowntimeMillis = allowedDowntimeMillis;
        this.maxIterations = maxIterations;
    }

    /**
     * Assesses a pass. A record for the pass already assessed returns that assessment unchanged
     * (the daemon may see a pass both from an event and from polling; only the first, taken at the
     * pass boundary, is meaningful).
     */
    public Assessment observe(IterationRecord record) {
        if (last != null) {
            int lastIteration = history.get(history.size() - 1).iteration();
            if (record.iteration() == lastIteration) {
                return last;
            }
            if (record.iteration() < lastIteration) {
                throw new IllegalArgumentException("iteration: expected > " + lastIteration + ", got " + record.iteration());
            }
        }
        history.add(record);
        Verdict trend = trend();
        String projection = completionProjection(record);
        String stall = stallCheck(record);
        if (stall == null && projection == null && pendingStall == null) {
            // while a stall waits for its local minimum, the minimum decides (less left for post-copy)
            stall = catchUpCheck(record);
            if (stall == null) {
                stall = budgetCheck(record);
            }
        }
        Verdict verdict;
        String reason;
        if (projection != null) {
            verdict = Verdict.WILL_COMPLETE;
            reason = projection;
        } else if (stall != null) {
            verdict = Verdict.STALLED;
            reason = stall;
            if (convergencePoint < 0) {
                convergencePoint = record.iteration();
            }
        } else {
            verdict = trend;
            reason = trendReason(trend) + (pendingStall == null ? "" : "; " + pendingStall);
        }
        last = new Assessment(record.iteration(), trend, verdict,
                convergencePoint < 0 ? OptionalInt.empty() : OptionalInt.of(convergencePoint), reason);
        return last;
    }

    public Assessment last() {
        return last;
    }

    public List<IterationRecord> history() {
        return List.copyOf(history);
    }

    public long allowedDowntimeMillis() {
        return allowedDowntimeMillis;
    }

    // ---------------------------------------------------------------------------------------------

    private List<Double> recentKnownRates() {
        List<Double> rates = new ArrayList<>(TREND_WINDOW);
        for (int i = history.size() - 1; i >= 0 && rates.size() < TREND_WINDOW; i--) {
            if (history.get(i).dirtyRateKnown()) {
                rates.add(0, history.get(i).dirtyRatePagesPerSecond());
            }
        }
        return rates;
    }

    private Verdict trend() {
        List<Double> rates = recentKnownRates();
        if (rates.size() < 2) {
            return Verdict.NOT_DECAYING;
        }
        double margin = settings.margin();
        boolean decaying = true;
        boolean growing = true;
        for (int k = 1; k < rates.size(); k++) {
            double before = rates.get(k - 1);
            double after = rates.get(k);
            decaying &= after < before * (1 - margin);
            growing &= after > before * (1 + margin);
        }
        return decaying ? Verdict.DECAYING : growing ? Verdict.GROWING : Verdict.NOT_DECAYING;
    }

    private String trendReason(Verdict trend) {
        List<Double> rates = recentKnownRates();
        if (rates.size() < 2) {
            return "dirty rate known for fewer than 2 passes";
        }
        String word = switch (trend) {
            case DECAYING -> "decaying";
            case GROWING -> "growing";
            default -> "not decaying";
        };
        return "dirty rate " + word + " (" + String.join(", ", rates.stream().map(r -> Long.toString(Math.round(r))).toList())
                + " pages/s)";
    }

    /** Non-null (the reason) when the remaining data fits the allowed downtime within the horizon. */
    private String completionProjection(IterationRecord r) {
        double passes = passesToFit(r);
        if (Double.isNaN(passes) || passes > settings.completionPasses()) {
            return null;
        }
        double bandwidth = r.transferRateBytesPerSecond();
        if (passes == 0) {
            return String.format(Locale.ROOT, "remaining %.1f MiB fits the %d ms downtime at %.1f MiB/s now",
                    r.remainingBytes() / MIB, allowedDowntimeMillis, bandwidth / MIB);
        }
        return String.format(Locale.ROOT,
                "projected to fit the %d ms downtime within %d pass(es): dirtying %.1f MiB/s vs sending %.1f MiB/s",
                allowedDowntimeMillis, (int) passes, r.dirtyRatePagesPerSecond() * settings.pageSizeBytes() / MIB, bandwidth / MIB);
    }

    /**
     * The mirror image of the completion projection: the first pass that knows the dirty rate
     * already tells whether pre-copy can ever catch up. Each pass shrinks the remaining data by the
     * ratio dirty bytes/s ÷ transfer bytes/s; when that ratio leaves less shrinkage than the noise
     * margin, more passes only resend the same pages, so this pass is the convergence point (the
     * stall rule would see the same one or two passes later). Non-null (the reason) then.
     */
    private String catchUpCheck(IterationRecord r) {
        double bandwidth = r.transferRateBytesPerSecond();
        if (!r.dirtyRateKnown() || bandwidth <= 0) {
            return null;
        }
        double dirtyBytesPerSecond = r.dirtyRatePagesPerSecond() * settings.pageSizeBytes();
        double ratio = dirtyBytesPerSecond / bandwidth;
        if (ratio < 1 - settings.margin()) {
            return null;
        }
        return String.format(Locale.ROOT,
                "stalled: pre-copy cannot catch up at pass %d: dirtying %.1f MiB/s vs sending %.1f MiB/s, so %.1f MiB remaining "
                        + "shrinks by less than %.0f%% per pass",
                r.iteration(), dirtyBytesPerSecond / MIB, bandwidth / MIB, r.remainingBytes() / MIB, settings.noiseMarginPercent());
    }

    /**
     * Passes pre-copy still needs until the remaining data fits the allowed downtime, by the
     * geometric projection (each pass leaves the ratio dirty/transfer of the one before): 0 when it
     * fits now, +∞ when the ratio is 1 or more, NaN while the dirty rate or bandwidth is unknown.
     */
    double passesToFit(IterationRecord r) {
        double bandwidth = r.transferRateBytesPerSecond();
        if (bandwidth <= 0) {
            return Double.NaN;
        }
        double allowedBytes = bandwidth * allowedDowntimeMillis / 1000.0;
        if (r.remainingBytes() <= allowedBytes) {
            return 0;
        }
        if (!r.dirtyRateKnown()) {
            return Double.NaN;
        }
        double ratio = r.dirtyRatePagesPerSecond() * settings.pageSizeBytes() / bandwidth;
        if (ratio >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        // pass by pass, so that WILL_COMPLETE and the pass budget see the same arithmetic
        double remaining = r.remainingBytes();
        for (int pass = 1; pass <= MAX_PROJECTED_PASSES; pass++) {
            remaining *= ratio;
            if (remaining <= allowedBytes) {
                return pass;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Non-null (the reason) when pre-copy is projected not to fit the downtime by the pass budget. */
    private String budgetCheck(IterationRecord r) {
        if (maxIterations == Integer.MAX_VALUE || r.iteration() >= maxIterations) {
            return null; // no budget known, or Algorithm 1's own pass-m rule applies now
        }
        double needed = passesToFit(r);
        long lastPassAllowed = (long) maxIterations + settings.completionPasses();
        if (Double.isNaN(needed) || r.iteration() + needed <= lastPassAllowed) {
            return null;
        }
        return String.format(Locale.ROOT,
                "stalled: pre-copy cannot fit the %d ms downtime by pass %d: %.1f MiB remaining at pass %d needs %s more pass(es) "
                        + "at dirtying %.1f MiB/s vs sending %.1f MiB/s",
                allowedDowntimeMillis, lastPassAllowed, r.remainingBytes() / MIB, r.iteration(),
                Double.isInfinite(needed) ? "unbounded" : Long.toString((long) needed),
                r.dirtyRatePagesPerSecond() * settings.pageSizeBytes() / MIB, r.transferRateBytesPerSecond() / MIB);
    }

    /** Non-null (the reason) at the convergence point; sets {@link #pendingStall} while waiting for a minimum. */
    private String stallCheck(IterationRecord r) {
        pendingStall = null;
        int cutoff = r.iteration() - settings.stallWindowIterations();
        int startIndex = -1;
        for (int i = 0; i < history.size() - 1; i++) {
            IterationRecord h = history.get(i);
            if (h.iteration() <= cutoff && (startIndex < 0 || h.remainingBytes() < history.get(startIndex).remainingBytes())) {
                startIndex = i;
            }
        }
        if (startIndex < 0) {
            consecutiveStalled = 0;
            return null;
        }
        double margin = settings.margin();
        long bestBefore = history.get(startIndex).remainingBytes();
        if (r.remainingBytes() < bestBefore * (1 - margin)) {
            consecutiveStalled = 0;
            return null;
        }
        consecutiveStalled++;
        long bestSinceStall = Long.MAX_VALUE;
        for (int i = startIndex; i < history.size(); i++) {
            bestSinceStall = Math.min(bestSinceStall, history.get(i).remainingBytes());
        }
        boolean atLocalMinimum = r.remainingBytes() <= bestSinceStall * (1 + margin);
        String numbers = String.format(Locale.ROOT, "remaining %.1f MiB at pass %d, not below the best %.1f MiB of pass %d by more than %.0f%%",
                r.remainingBytes() / MIB, r.iteration(), bestBefore / MIB, history.get(startIndex).iteration(),
                settings.noiseMarginPercent());
        if (atLocalMinimum) {
            return "stalled: " + numbers + "; at a local minimum";
        }
        if (consecutiveStalled > settings.patienceIterations()) {
            return "stalled: " + numbers + "; no local minimum within " + settings.patienceIterations() + " pass(es)";
        }
        pendingStall = "stalled, waiting for remaining bytes to come back to " + String.format(Locale.ROOT, "%.1f MiB", bestSinceStall / MIB);
        return null;
    }
}
