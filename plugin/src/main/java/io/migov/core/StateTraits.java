// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * The workload classes of each state, defined once and shared by the strategy table and the
 * look-ahead behaviour so that both always agree.
 *
 * <ul>
 *   <li><b>memory-intensive</b>: where the scheme models write intensity, its level is the top level
 *       (the guest dirties memory at ≥ 50 % of the migration bandwidth by default, so pre-copy would
 *       keep resending pages); otherwise, as in the research, the memory-use level is the top level
 *       (≥ 50 % by default). With both modelled, memory use alone does not make a state
 *       memory-intensive: a guest that holds much memory but does not write converges in pre-copy.</li>
 *   <li><b>network-intensive</b>: the busier network direction is at level 1 or above, i.e. at least
 *       the first threshold (≥ 25 % of link capacity by default).</li>
 *   <li><b>mostly outgoing</b> / <b>mostly incoming</b>: one direction's level is strictly higher
 *       than the other's; equal levels are neither.</li>
 *   <li><b>net-out-intensive</b> = network-intensive and mostly outgoing;
 *       <b>net-in-intensive</b> = network-intensive and mostly incoming.</li>
 * </ul>
 * A scheme that models neither memory use nor write intensity (or not the network) never classifies
 * a state as such.
 */
public final class StateTraits {

    private final Discretiser discretiser;
    private final boolean[] memoryIntensive;
    private final boolean[] netOutIntensive;
    private final boolean[] netInIntensive;

    public StateTraits(Discretiser discretiser) {
        this.discretiser = discretiser;
        int n = discretiser.stateCount();
        memoryIntensive = new boolean[n];
        netOutIntensive = new boolean[n];
        netInIntensive = new boolean[n];
        Resource memorySignal = discretiser.models(Resource.WRITE) ? Resource.WRITE
                : discretiser.models(Resource.MEMORY) ? Resource.MEMORY : null;
        for (int s = 0; s < n; s++) {
            memoryIntensive[s] = memorySignal != null && discretiser.levelOf(s, memorySignal) == discretiser.topLevel(memorySignal);
            int in = Math.max(0, discretiser.levelOf(s, Resource.NET_IN));
            int out = Math.max(0, discretiser.levelOf(s, Resource.NET_OUT));
            boolean networkIntensive = Math.max(in, out) >= 1;
            netOutIntensive[s] = networkIntensive && out > in;
            netInIntensive[s] = networkIntensive && in > out;
        }
    }

    public Discretiser discretiser() {
        return discretiser;
    }

    public int stateCount() {
        return memoryIntensive.length;
    }

    public boolean isMemoryIntensive(int state) {
        discretiser.requireState(state);
        return memoryIntensive[state];
    }

    public boolean isNetOutIntensive(int state) {
        discretiser.requireState(state);
        return netOutIntensive[state];
    }

    public boolean isNetInIntensive(int state) {
        discretiser.requireState(state);
        return netInIntensive[state];
    }

    // Unchecked accessors for the predictor's inner loop; the caller owns the bounds.
    boolean memoryIntensiveUnchecked(int state) {
        return memoryIntensive[state];
    }

    boolean netOutIntensiveUnchecked(int state) {
        return netOutIntensive[state];
    }

    boolean netInIntensiveUnchecked(int state) {
        return netInIntensive[state];
    }
}
