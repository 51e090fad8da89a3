// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

/** The convergence detector's view of a running pre-copy migration after a pass. */
public enum Verdict {
    /** Dirty-page rate falling pass after pass beyond the noise margin (e.g. 1000, 800, 600). */
    DECAYING,
    /** Neither steadily falling nor steadily rising (e.g. 1000, 800, 900), or too little data. */
    NOT_DECAYING,
    /** Dirty-page rate rising pass after pass beyond the noise margin. */
    GROWING,
    /** The remaining data fits the allowed downtime now or within a pass or two: let pre-copy finish. */
    WILL_COMPLETE,
    /** The convergence point: remaining bytes stopped shrinking; more passes will not help. */
    STALLED
}
