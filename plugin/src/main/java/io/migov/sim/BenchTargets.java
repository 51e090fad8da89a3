// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import io.migov.core.policy.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The targets for migov, computed from a {@link BenchTable}, each PASS or MISS with the
 * numbers it was judged on (n/a when the table lacks what it needs):
 * <ol>
 *   <li>where pre-copy converges by itself ({@code idle, light, medium, quiet}, or any workload when
 *       the table has none of these; only where {@code precopy}'s median run completed with 0 page
 *       requests): migov takes 0 page requests and ≤ 1.1 × the total time of the best
 *       policy with 0 page requests;</li>
 *   <li>{@code heavy} (never converges): migov completes every run in ≤ 1.1 × always-postcopy's
 *       time; {@code latewriter}: ≤ 1.1 × the best policy that starts in pre-copy;</li>
 *   <li>no peer beats migov on both total time and page requests on any workload (a peer that
 *       completes fewer runs beats nobody); migov's degradation is at least the best fixed
 *       policy's − 0.05 on every workload (fixed: precopy, postcopy-after-precopy, hybrid(m),
 *       always-postcopy; only those that completed every run, since one that never finishes
 *       never disturbs the guest);</li>
 *   <li>migov's geometric mean ≤ 0.6 × kubevirt-stall's and ≤ 0.4 × nova-force-complete's;
 *       migov's total page requests below always-postcopy's.</li>
 * </ol>
 */
public final class BenchTargets {

    public enum Status { PASS, MISS, NA }

    public record Target(String id, Status status, String text) {
    }

    static final double TIME_SLACK = 1.1;
    static final double DEGRADATION_SLACK = 0.05;
    private static final String MIGOV = Policies.MIGOV;
    /** The bench's workloads where pre-copy converges by itself. */
    static final List<String> CONVERGENT = List.of("idle", "light", "medium", "quiet");
    private static final Set<String> FIXED_PREFIXES = Set.of(Policies.PRECOPY, Policies.POSTCOPY_AFTER_PRECOPY, "hybrid(",
            Policies.ALWAYS_POSTCOPY);

    private BenchTargets() {
    }

    static List<Target> evaluate(BenchTable t) {
        List<Target> out = new ArrayList<>();
        if (!t.policies().contains(MIGOV)) {
            out.add(new Target("all", Status.NA, "no migov rows: nothing to judge"));
            return out;
        }
        out.addAll(convergent(t));
        out.add(heavy(t));
        out.add(lateWriter(t));
        out.add(dominance(t));
        out.add(degradation(t));
        out.add(geomeanRatio(t, Policies.KUBEVIRT_STALL, 0.6, "4a"));
        out.add(geomeanRatio(t, Policies.NOVA_FORCE_COMPLETE, 0.4, "4b"));
        out.add(requestsBelowAlwaysPostcopy(t));
        return out;
    }

    /**
     * (1), one line per workload where pre-copy converges by itself: the bench's four such
     * workloads when the table has any of them, else every workload; either way only where
     * precopy's median run did complete with 0 page requests. (A workload where pre-copy converges
     * only after a while, bursty, is not one of them: being faster there with a few page requests is
     * the point.)
     */
    private static List<Target> convergent(BenchTable t) {
        List<Target> out = new ArrayList<>();
        List<String> named = t.workloads().stream().filter(CONVERGENT::contains).toList();
        for (String w : named.isEmpty() ? t.workloads() : named) {
            BenchTable.Cell pre = t.cell(w, Policies.PRECOPY);
            BenchTable.Cell m = t.cell(w, MIGOV);
            if (pre == null || m == null || !pre.mostlyCompleted() || pre.medianPostcopyRequests() != 0) {
                if (!named.isEmpty()) {
                    out.add(new Target("1", Status.NA, "(1) " + w + ": needs migov, and precopy completing with 0 page requests"));
                }
                continue;
            }
            BenchTable.Cell best = pre; // qualifies; on a tie the baseline is named
            for (String p : t.policies()) {
                BenchTable.Cell c = t.cell(w, p);
                if (!MIGOV.equals(p) && c != null && c.mostlyCompleted() && c.medianPostcopyRequests() == 0
                        && c.medianTotalSeconds() < best.medianTotalSeconds()) {
                    best = c;
                }
            }
            double limit = TIME_SLACK * best.medianTotalSeconds();
            boolean pass = m.medianPostcopyRequests() == 0 && m.medianTotalSeconds() <= limit;
            out.add(new Target("1", pass ? Status.PASS : Status.MISS, String.format(Locale.ROOT,
                    "(1) %s converges in pre-copy: migov %s page requests (want 0), %s s vs ≤ 1.1 × %s s (%s, best with 0 requests)",
                    w, n(m.medianPostcopyRequests()), s(m.medianTotalSeconds()), s(best.medianTotalSeconds()), best.policy())));
        }
        if (out.isEmpty()) {
            out.add(new Target("1", Status.NA, "(1) no workload where precopy's median run completed with 0 page requests"));
        }
        return out;
    }

    /** (2) heavy: every run completes, within 1.1 × always-postcopy. */
    private static Target heavy(BenchTable t) {
        BenchTable.Cell m = t.cell("heavy", MIGOV);
        BenchTable.Cell always = t.cell("heavy", Policies.ALWAYS_POSTCOPY);
        if (m == null || always == null) {
            return new Target("2a", Status.NA, "(2) heavy: needs migov and always-postcopy rows for workload 'heavy'");
        }
        boolean pass = m.completed() == m.runs() && m.medianTotalSeconds() <= TIME_SLACK * always.medianTotalSeconds();
        return new Target("2a", pass ? Status.PASS : Status.MISS, String.format(Locale.ROOT,
                "(2) heavy: migov completed %d/%d (want all), %s s vs ≤ 1.1 × %s s (always-postcopy)", m.completed(), m.runs(),
                s(m.medianTotalSeconds()), s(always.medianTotalSeconds())));
    }

    /** (2) latewriter: within 1.1 × the best policy that starts in pre-copy. */
    private static Target lateWriter(BenchTable t) {
        BenchTable.Cell m = t.cell("latewriter", MIGOV);
        BenchTable.Cell best = null;
        // precopy first, so that on a tie the baseline is named
        List<String> order = new ArrayList<>(t.policies());
        if (order.remove(Policies.PRECOPY)) {
            order.add(0, Policies.PRECOPY);
        }
        for (String p : order) {
            BenchTable.Cell c = t.cell("latewriter", p);
            if (!MIGOV.equals(p) && c != null && c.startsInPreCopy() && c.mostlyCompleted()
                    && (best == null || c.medianTotalSeconds() < best.medianTotalSeconds())) {
                best = c;
            }
        }
        if (m == null || best == null) {
            return new Target("2b", Status.NA, "(2) latewriter: needs migov and a completing policy that starts in pre-copy");
        }
        boolean pass = m.mostlyCompleted() && m.medianTotalSeconds() <= TIME_SLACK * best.medianTotalSeconds();
        return new Target("2b", pass ? Status.PASS : Status.MISS, String.format(Locale.ROOT,
                "(2) latewriter: migov %s s vs ≤ 1.1 × %s s (%s, best that starts in pre-copy)", s(m.medianTotalSeconds()),
                s(best.medianTotalSeconds()), best.policy()));
    }

    /** (3) nobody is faster with fewer page requests than migov on any workload. */
    private static Target dominance(BenchTable t) {
        List<String> beaten = new ArrayList<>();
        int judged = 0;
        for (String w : t.workloads()) {
            BenchTable.Cell m = t.cell(w, MIGOV);
            if (m == null) {
                continue;
            }
            judged++;
            for (String p : t.policies()) {
                BenchTable.Cell c = t.cell(w, p);
                if (MIGOV.equals(p) || c == null || c.completed() * m.runs() < m.completed() * c.runs()) {
                    continue;
                }
                if (c.medianTotalSeconds() < m.medianTotalSeconds() && c.medianPostcopyRequests() < m.medianPostcopyRequests()) {
                    beaten.add(String.format(Locale.ROOT, "%s: %s %s s / %s requests vs migov %s s / %s", w, p, s(c.medianTotalSeconds()),
                            n(c.medianPostcopyRequests()), s(m.medianTotalSeconds()), n(m.medianPostcopyRequests())));
                }
            }
        }
        String text = "(3) no peer beats migov on both total time and page requests: "
                + (beaten.isEmpty() ? "none does on " + judged + " workloads" : String.join("; ", beaten));
        return new Target("3a", beaten.isEmpty() ? Status.PASS : Status.MISS, text);
    }

    /** (3) migov's degradation within 0.05 of the best fixed policy's, on every workload where both are known. */
    private static Target degradation(BenchTable t) {
        List<String> misses = new ArrayList<>();
        int judged = 0;
        for (String w : t.workloads()) {
            BenchTable.Cell m = t.cell(w, MIGOV);
            if (m == null || Double.isNaN(m.medianDegradation())) {
                continue;
            }
            BenchTable.Cell best = null;
            for (String p : t.policies()) {
                BenchTable.Cell c = t.cell(w, p);
                if (isFixed(p) && c != null && c.completed() == c.runs() && !Double.isNaN(c.medianDegradation())
                        && (best == null || c.medianDegradation() > best.medianDegradation())) {
                    best = c;
                }
            }
            if (best == null) {
                continue;
            }
            judged++;
            if (m.medianDegradation() < best.medianDegradation() - DEGRADATION_SLACK) {
                misses.add(String.format(Locale.ROOT, "%s: migov %.2f < %s %.2f − 0.05", w, m.medianDegradation(), best.policy(),
                        best.medianDegradation()));
            }
        }
        if (judged == 0) {
            return new Target("3b", Status.NA, "(3) degradation: no workload with migov's and a completing fixed policy's degradation");
        }
        String text = "(3) migov's degradation ≥ the best fixed policy's − 0.05: "
                + (misses.isEmpty() ? "yes on " + judged + " workloads" : String.join("; ", misses));
        return new Target("3b", misses.isEmpty() ? Status.PASS : Status.MISS, text);
    }

    static boolean isFixed(String policy) {
        return FIXED_PREFIXES.stream().anyMatch(f -> f.endsWith("(") ? policy.startsWith(f) : policy.equals(f));
    }

    /** (4) migov's geometric mean at most {@code factor} × the peer's. */
    private static Target geomeanRatio(BenchTable t, String peer, double factor, String id) {
        if (!t.policies().contains(peer) || t.suiteWorkloads().isEmpty()) {
            return new Target(id, Status.NA, "(4) geomean vs " + peer + ": no " + peer + " rows");
        }
        double m = t.summary(MIGOV).geomeanTotalSeconds();
        double p = t.summary(peer).geomeanTotalSeconds();
        return new Target(id, m <= factor * p ? Status.PASS : Status.MISS, String.format(Locale.ROOT,
                "(4) geomean total time: migov %s s vs ≤ %.1f × %s s (%s): ratio %.2f over %d workloads", s(m), factor, s(p), peer, m / p,
                t.suiteWorkloads().size()));
    }

    /** (4) migov's page requests, summed over the suite, below always-postcopy's. */
    private static Target requestsBelowAlwaysPostcopy(BenchTable t) {
        if (!t.policies().contains(Policies.ALWAYS_POSTCOPY) || t.suiteWorkloads().isEmpty()) {
            return new Target("4c", Status.NA, "(4) page requests vs always-postcopy: no always-postcopy rows");
        }
        double m = t.summary(MIGOV).totalPostcopyRequests();
        double a = t.summary(Policies.ALWAYS_POSTCOPY).totalPostcopyRequests();
        return new Target("4c", m < a ? Status.PASS : Status.MISS, String.format(Locale.ROOT,
                "(4) total page requests: migov %s < %s (always-postcopy)", n(m), n(a)));
    }

    private static String s(double seconds) {
        return BenchTable.fmt(seconds, "%.2f");
    }

    private static String n(double count) {
        return BenchTable.fmt(count, "%.0f");
    }
}
