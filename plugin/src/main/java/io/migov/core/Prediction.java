// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * Result of a look-ahead from one state: for k = 1..n the most likely state k steps ahead and
 * its probability, plus the expected {@link Behaviour} over those steps.
 */
public record Prediction(int currentState, int[] mostLikelyStates, double[] probabilities, Behaviour behaviour) {

    public int lookAhead() {
        return mostLikelyStates.length;
    }

    /** Most likely state {@code k} steps ahead, k in 1..n. */
    public int mostLikelyState(int k) {
        return mostLikelyStates[k - 1];
    }

    public double probability(int k) {
        return probabilities[k - 1];
    }
}
