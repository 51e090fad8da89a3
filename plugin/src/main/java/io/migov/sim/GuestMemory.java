// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

/**
 * The guest's memory as four regions of pages that migrate alike, counted (not tracked page by
 * page: the model is about rates, and counts keep it deterministic and fast). Within a region pages
 * are assumed uniformly spread over the address space QEMU walks, so a pass sends every region in
 * proportion, and a page touched at random is unsent with the region's unsent share.
 *
 * <ul>
 *   <li>{@link #OS_HOT}: what the guest OS keeps touching even when idle (it reads and writes it);</li>
 *   <li>{@link #OS_COLD}: the rest of the OS's non-zero memory, never touched during the migration;</li>
 *   <li>{@link #HOT}: the workload's region (its largest working set); each phase's working set lies
 *       inside it;</li>
 *   <li>{@link #FREE}: never-written memory: zero pages, cheap to send until written.</li>
 * </ul>
 *
 * Pre-copy: each pass sends its set (pass 1: all memory; pass N: the pages dirtied during pass
 * N − 1, all non-zero by then). Pages dirtied during a pass are counted distinct and saturate at the
 * working set: {@code dirty = min(ws, rate · t)}, the simplest honest form. Post-copy: the pages
 * not yet sent, and those dirtied since the last sync (the source discards them at the
 * destination), are {@code unreceived}; they are pushed in the background at the bandwidth, and a
 * touch of one of them is a page request. Sizes are in pages; costs in full pages' transfer time.
 */
final class GuestMemory {

    static final int OS_HOT = 0;
    static final int OS_COLD = 1;
    static final int HOT = 2;
    static final int FREE = 3;
    private static final int REGIONS = 4;

    private final double zeroPageCost;
    private final int pageSizeBytes;
    private final double[] size = new double[REGIONS];
    /** Pages of the current pass's set not yet sent, and the mean cost of one of them. */
    private final double[] unsent = new double[REGIONS];
    private final double[] unsentCost = new double[REGIONS];
    /** Distinct pages dirtied since the last dirty-bitmap sync. */
    private final double[] dirty = new double[REGIONS];
    /** Post-copy: pages the destination does not have yet, and the mean cost of one of them. */
    private final double[] unreceived = new double[REGIONS];
    private final double[] unreceivedCost = new double[REGIONS];
    private double bytesSent;

    GuestMemory(Scenario scenario, ModelParameters p) {
        double perMiB = p.pagesPerMiB();
        Workload w = scenario.workload();
        double memory = w.memoryMiB();
        double hot = w.hotMiB();
        double osHot = Math.max(0, Math.min(p.osHotMiB(), memory - hot));
        double room = memory - hot - osHot;
        double hotWritten;
        double osCold;
        if (Double.isNaN(scenario.nonZeroMiBAtStart())) {
            hotWritten = w.hotWrittenAtStartMiB();
            osCold = clamp(p.guestBaseMiB() - osHot, room);
        } else {
            // a recorded migration says how much was non-zero (from the time pass 1 took), not where
            hotWritten = hot;
            osCold = clamp(scenario.nonZeroMiBAtStart() - osHot - hot, room);
        }
        zeroPageCost = p.zeroPageCost();
        pageSizeBytes = p.pageSizeBytes();
        size[OS_HOT] = osHot * perMiB;
        size[OS_COLD] = osCold * perMiB;
        size[HOT] = hot * perMiB;
        size[FREE] = (room - osCold) * perMiB;
        double[] passOneCost = {1, 1, hot == 0 ? 1 : (hotWritten + (hot - hotWritten) * zeroPageCost) / hot, zeroPageCost};
        for (int r = 0; r < REGIONS; r++) {
            unsent[r] = size[r];
            unsentCost[r] = passOneCost[r];
        }
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(v, max));
    }

    double pages(int region) {
        return size[region];
    }

    // --- pre-copy ----------------------------------------------------------------------------------

    /** The guest writes {@code pages} page writes into {@code region}, over a working set of {@code workingSetPages}. */
    void dirty(int region, double pages, double workingSetPages) {
        // distinct dirty pages saturate at the working set; a set that shrank keeps what was dirtied
        dirty[region] = Math.min(dirty[region] + pages, Math.max(dirty[region], Math.min(workingSetPages, size[region])));
    }

    /** Pages of the current pass still to send: QEMU's {@code memory_remaining}. */
    double remainingPages() {
        return sum(unsent);
    }

    double dirtyPages() {
        return sum(dirty);
    }

    /**
     * Sends up to {@code budget} full-page equivalents of the current pass, every region in
     * proportion; returns the share of the budget used (below 1 when the pass set ran out).
     */
    double send(double budget) {
        return drain(unsent, unsentCost, budget);
    }

    /**
     * What a dirty-bitmap sync now would leave to send, in full-page equivalents: the unsent rest
     * of the pass plus the pages dirtied since, less those already counted unsent.
     */
    double pendingAfterSyncCost() {
        double cost = 0;
        for (int r = 0; r < REGIONS; r++) {
            cost += unsent[r] * unsentCost[r] + newlyDirty(r);
        }
        return cost;
    }

    private double newlyDirty(int r) {
        return size[r] == 0 ? 0 : dirty[r] * (1 - unsent[r] / size[r]);
    }

    /** A dirty-bitmap sync: the next pass's set is what is unsent plus what was dirtied. */
    void sync() {
        for (int r = 0; r < REGIONS; r++) {
            double added = newlyDirty(r);
            double total = unsent[r] + added;
            unsentCost[r] = total == 0 ? 1 : (unsent[r] * unsentCost[r] + added) / total;
            unsent[r] = total;
            dirty[r] = 0;
        }
    }

    /** Stop-and-copy: everything unsent goes while the guest is paused; returns its cost in full pages. */
    double sendAll() {
        double cost = 0;
        for (int r = 0; r < REGIONS; r++) {
            cost += unsent[r] * unsentCost[r];
        }
        drain(unsent, unsentCost, Double.MAX_VALUE);
        return cost;
    }

    // --- post-copy ---------------------------------------------------------------------------------

    /** The switch: the source syncs once more and everything it has not sent since is unreceived. */
    void switchToPostCopy() {
        sync();
        for (int r = 0; r < REGIONS; r++) {
            unreceived[r] = unsent[r];
            unreceivedCost[r] = unsentCost[r];
            unsent[r] = 0;
        }
    }

    /** Chance that a random touch of {@code region} hits a page the destination does not have. */
    double unreceivedShare(int region) {
        return size[region] == 0 ? 0 : unreceived[region] / size[region];
    }

    /** {@code pages} page requests for {@code region}: fetched at once, out of the bandwidth cap (the lab facts in testbed/README.md). */
    double fault(int region, double pages) {
        double f = Math.min(pages, unreceived[region]);
        unreceived[region] -= f;
        bytesSent += f * pageSizeBytes;
        return f;
    }

    /** The background push of post-copy; returns the share of the budget used (below 1 when done). */
    double push(double budget) {
        return drain(unreceived, unreceivedCost, budget);
    }

    boolean allReceived() {
        return sum(unreceived) == 0;
    }

    // -------------------------------------------------------------------------------------------------

    long bytesSent() {
        return Math.round(bytesSent);
    }

    private double drain(double[] pages, double[] cost, double budget) {
        double total = 0;
        for (int r = 0; r < REGIONS; r++) {
            total += pages[r] * cost[r];
        }
        double share = total <= budget ? 1 : budget / total;
        for (int r = 0; r < REGIONS; r++) {
            double sent = share == 1 ? pages[r] : pages[r] * share;
            bytesSent += sent * nonZeroShare(cost[r]) * pageSizeBytes;
            pages[r] = share == 1 ? 0 : pages[r] - sent;
        }
        return total <= budget ? (budget == Double.MAX_VALUE ? 0 : total / budget) : 1;
    }

    /** Zero pages go as a header: only the non-zero share of a set counts as bytes sent. */
    private double nonZeroShare(double meanCost) {
        return Math.max(0, Math.min(1, (meanCost - zeroPageCost) / (1 - zeroPageCost)));
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
