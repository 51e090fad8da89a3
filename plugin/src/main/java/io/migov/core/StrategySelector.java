// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * The research design's strategy table, applied in order: memory-intensive → POST_COPY;
 * network-intensive and mostly outgoing → POST_COPY; network-intensive and mostly incoming →
 * PRE_COPY; anything else → HYBRID. The classes are defined in {@link StateTraits}.
 */
public final class StrategySelector {

    private final StateTraits traits;
    private final Decision[] table;

    public StrategySelector(StateTraits traits) {
        this.traits = traits;
        table = new Decision[traits.stateCount()];
        for (int s = 0; s < table.length; s++) {
            table[s] = decide(s);
        }
    }

    public Decision select(int state) {
        traits.discretiser().requireState(state);
        return table[state];
    }

    private Decision decide(int state) {
        String levels = traits.discretiser().describe(state);
        if (traits.isMemoryIntensive(state)) {
            return new Decision(state, Strategy.POST_COPY,
                    "memory-intensive (" + levels + "): pre-copy would resend dirtied pages, post-copy sends each page once");
        }
        if (traits.isNetOutIntensive(state)) {
            return new Decision(state, Strategy.POST_COPY,
                    "network-intensive, mostly outgoing (" + levels + "): post-copy");
        }
        if (traits.isNetInIntensive(state)) {
            return new Decision(state, Strategy.PRE_COPY,
                    "network-intensive, mostly incoming (" + levels + "): pre-copy");
        }
        return new Decision(state, Strategy.HYBRID,
                "neither memory- nor one-way network-intensive (" + levels + "): hybrid");
    }
}
