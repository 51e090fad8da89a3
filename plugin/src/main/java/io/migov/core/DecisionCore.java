// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * The stateless decision pieces for one state scheme, built once and shared by every VM: the
 * discretiser, the state classes, the strategy table and the predictor.
 */
public record DecisionCore(Discretiser discretiser, StateTraits traits, StrategySelector selector, Predictor predictor) {

    /** With the research's first-order predictor. */
    public static DecisionCore of(Discretiser discretiser) {
        return of(discretiser, false);
    }

    /**
     * @param dwellAware look ahead over (state, how long it has lasted), with
     *                   {@link Predictor#DEFAULT_DWELL_PSEUDO_COUNTS}; false: the research's v·Pⁿ
     */
    public static DecisionCore of(Discretiser discretiser, boolean dwellAware) {
        StateTraits traits = new StateTraits(discretiser);
        Predictor predictor = dwellAware ? new Predictor(traits, Predictor.DEFAULT_DWELL_PSEUDO_COUNTS) : new Predictor(traits);
        return new DecisionCore(discretiser, traits, new StrategySelector(traits), predictor);
    }

    public static DecisionCore defaults() {
        return of(Discretiser.defaultScheme());
    }
}
