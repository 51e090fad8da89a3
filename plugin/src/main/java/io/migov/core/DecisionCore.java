package io.migov.core;

/**
 * The stateless decision pieces for one state scheme, built once and shared by every VM: the
 * discretiser, the state classes, the strategy table and the predictor.
 */
public record DecisionCore(Discretiser discretiser, StateTraits traits, StrategySelector selector, Predictor predictor) {

    public static DecisionCore of(Discretiser discretiser) {
        StateTraits traits = new StateTraits(discretiser);
        return new DecisionCore(discretiser, traits, new StrategySelector(traits), new Predictor(traits));
    }

    public static DecisionCore defaults() {
        return of(Discretiser.defaultScheme());
    }
}
