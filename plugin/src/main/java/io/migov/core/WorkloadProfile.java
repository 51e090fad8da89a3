package io.migov.core;

import java.util.Objects;

/**
 * One VM's learned behaviour: its Markov model and current state, fed one sample per tick.
 * Thread-safe: the profiler ticks while management reads and migrations ask for a prediction.
 */
public final class WorkloadProfile {

    private final DecisionCore core;
    private MarkovModel model;
    private int currentState = -1;

    public WorkloadProfile(DecisionCore core, MarkovModel model) {
        this.core = Objects.requireNonNull(core, "core");
        requireCompatible(core, model);
        this.model = model;
        this.currentState = model.previousState();
    }

    public WorkloadProfile(DecisionCore core) {
        this(core, new MarkovModel(core.discretiser().stateCount()));
    }

    /** Discretises the sample, learns the transition into its state and returns that state. */
    public synchronized int tick(Sample sample) {
        int state = core.discretiser().stateOf(sample);
        model.observe(state);
        currentState = state;
        return state;
    }

    /** The next sample starts a new run: no transition is learned across a gap (a migration, a pause). */
    public synchronized void breakChain() {
        model.breakChain();
    }

    /** Current state, or -1 before the first sample. */
    public synchronized int currentState() {
        return currentState;
    }

    public synchronized long samples() {
        return model.samples();
    }

    /** The decision for the current state, or null before the first sample. */
    public synchronized Decision decision() {
        return currentState < 0 ? null : core.selector().select(currentState);
    }

    public synchronized Prediction predict(int lookAhead) {
        if (currentState < 0) {
            throw new IllegalStateException("no sample yet: nothing to predict from");
        }
        return core.predictor().predict(model, currentState, lookAhead);
    }

    public synchronized double[] transitionRow(int from) {
        return model.transitionRow(from);
    }

    public synchronized String exportModel() {
        return ModelCodec.encode(model);
    }

    /** Replaces the model (e.g. one that arrived with the VM); the state continues from its last state. */
    public synchronized void replaceModel(MarkovModel replacement) {
        requireCompatible(core, replacement);
        model = replacement;
        currentState = replacement.previousState();
    }

    public synchronized void resetModel() {
        model = new MarkovModel(model.prior(), model.priorWeight());
        currentState = -1;
    }

    public DecisionCore core() {
        return core;
    }

    private static void requireCompatible(DecisionCore core, MarkovModel model) {
        if (model.stateCount() != core.discretiser().stateCount()) {
            throw new IllegalArgumentException("model.states: expected " + core.discretiser().stateCount() + ", got " + model.stateCount());
        }
    }
}
