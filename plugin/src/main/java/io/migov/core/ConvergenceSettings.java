// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/**
 * Tunables of the {@link ConvergenceDetector}.
 *
 * @param noiseMarginPercent      a change smaller than this share (percent) of the previous value is
 *                                noise: it neither decays/grows the dirty rate nor counts as progress
 *                                on remaining bytes (default 4, as KubeVirt's stall margin)
 * @param stallWindowIterations   a pass is compared with the best remaining bytes of passes at
 *                                least this many passes earlier (default 1: "this pass made no new
 *                                minimum")
 * @param patienceIterations      once stalled, wait at most this many passes for remaining bytes to
 *                                come back to a local minimum before declaring the convergence point
 *                                anyway (default 1)
 * @param completionPasses        WILL_COMPLETE when the projected remaining data fits the allowed
 *                                downtime now or within this many more passes (default 2)
 * @param pageSizeBytes           guest page size for the dirty-rate projection (default 4096)
 */
public record ConvergenceSettings(double noiseMarginPercent, int stallWindowIterations, int patienceIterations,
                                  int completionPasses, int pageSizeBytes) {

    public static final ConvergenceSettings DEFAULTS = new ConvergenceSettings(4.0, 1, 1, 2, 4096);

    public ConvergenceSettings {
        if (!(noiseMarginPercent >= 0 && noiseMarginPercent < 100)) {
            throw new IllegalArgumentException("noiseMarginPercent: expected [0, 100), got " + noiseMarginPercent);
        }
        if (stallWindowIterations < 1 || stallWindowIterations > 100) {
            throw new IllegalArgumentException("stallWindowIterations: expected 1..100, got " + stallWindowIterations);
        }
        if (patienceIterations < 0 || patienceIterations > 100) {
            throw new IllegalArgumentException("patienceIterations: expected 0..100, got " + patienceIterations);
        }
        if (completionPasses < 0 || completionPasses > 10) {
            throw new IllegalArgumentException("completionPasses: expected 0..10, got " + completionPasses);
        }
        if (pageSizeBytes < 512 || Integer.bitCount(pageSizeBytes) != 1) {
            throw new IllegalArgumentException("pageSizeBytes: expected a power of two ≥ 512, got " + pageSizeBytes);
        }
    }

    double margin() {
        return noiseMarginPercent / 100.0;
    }
}
