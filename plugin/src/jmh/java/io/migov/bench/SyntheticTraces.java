// SPDX-License-Identifier: Apache-2.0
package io.migov.bench;

import io.migov.core.Discretiser;
import io.migov.core.MarkovModel;
import io.migov.core.Sample;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic VM traces for the benchmarks (fixed seeds, so every run measures the
 * same work).
 *
 * <p>The realistic trace is a sticky chain over a handful of the 81 default states, the shape a
 * real VM shows at 1 s sampling: it stays in its current state ~90 % of the time and otherwise
 * moves to one of a few related states (idle, a CPU phase, a memory-heavy phase, network bursts).
 * Learned from it, a model keeps a few short sparse rows. The worst-case trace visits all 81 states
 * uniformly at random, so every row fills up to 81 entries.
 */
final class SyntheticTraces {

    /** Default scheme: cpu·27 + mem·9 + in·3 + out, levels 0 = low, 1 = moderate, 2 = high. */
    static final int STATES = 81;

    /**
     * The states the realistic VM visits: idle (0), moderate cpu (27), cpu + moderate mem (36),
     * cpu high + mem high (72, the research log's state), memory-heavy with outgoing traffic (74),
     * moderate cpu with incoming traffic (30).
     */
    static final int[] HOT_STATES = {0, 27, 36, 72, 74, 30};

    /** Probability of staying in the current state per 1 s step. */
    static final double STICKINESS = 0.9;

    /** Trace length used to cycle the benchmark inputs: a power of two, indexed with a mask. */
    static final int CYCLE = 1 << 14;
    static final int MASK = CYCLE - 1;

    private SyntheticTraces() {
    }

    /** A sticky trace over {@link #HOT_STATES}; neighbours in the list are preferred on a move. */
    static int[] sticky(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] trace = new int[length];
        int at = 0;
        for (int t = 0; t < length; t++) {
            if (random.nextDouble() >= STICKINESS) {
                // move: 70 % to a neighbouring phase, 30 % to any other hot state
                if (random.nextDouble() < 0.7) {
                    at = Math.floorMod(at + (random.nextBoolean() ? 1 : -1), HOT_STATES.length);
                } else {
                    int other = random.nextInt(HOT_STATES.length - 1);
                    at = other >= at ? other + 1 : other;
                }
            }
            trace[t] = HOT_STATES[at];
        }
        return trace;
    }

    /** Uniformly random states over all 81: the worst case for row length. */
    static int[] allStates(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] trace = new int[length];
        for (int t = 0; t < length; t++) {
            trace[t] = random.nextInt(STATES);
        }
        return trace;
    }

    static MarkovModel learn(int[] trace) {
        MarkovModel model = new MarkovModel(STATES);
        for (int s : trace) {
            model.observe(s);
        }
        return model;
    }

    /** A model in which every row stores exactly {@code width} distinct random columns. */
    static MarkovModel rowsOf(int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MarkovModel model = new MarkovModel(STATES);
        for (int from = 0; from < STATES; from++) {
            boolean[] used = new boolean[STATES];
            for (int k = 0; k < width; k++) {
                int to;
                do {
                    to = random.nextInt(STATES);
                } while (used[to]);
                used[to] = true;
                for (int c = 1 + random.nextInt(50); c > 0; c--) {
                    model.breakChain();
                    model.observe(from);
                    model.observe(to);
                }
            }
        }
        model.breakChain();
        if (model.storedTransitions() != STATES * width) {
            throw new IllegalStateException("expected " + STATES * width + " stored transitions, got " + model.storedTransitions());
        }
        return model;
    }

    /** Percent samples whose discretised states follow {@code states}, with jitter inside each band. */
    static Sample[] samplesFor(int[] states, Discretiser discretiser, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Sample[] samples = new Sample[states.length];
        for (int t = 0; t < states.length; t++) {
            int s = states[t];
            Sample sample = new Sample(percent(s / 27 % 3, random), percent(s / 9 % 3, random),
                    percent(s / 3 % 3, random), percent(s % 3, random));
            if (discretiser.stateOf(sample) != s) {
                throw new IllegalStateException("sample for state " + s + " discretised to " + discretiser.stateOf(sample));
            }
            samples[t] = sample;
        }
        return samples;
    }

    /** A percentage inside the band of {@code level} for thresholds 25 and 50. */
    private static double percent(int level, SplittableRandom random) {
        return switch (level) {
            case 0 -> random.nextDouble(0.0, 25.0);
            case 1 -> random.nextDouble(25.0, 50.0);
            default -> random.nextDouble(50.0, 100.0);
        };
    }
}
