// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import org.weakref.jmx.Managed;

/** A jmxutils bean for the tests: one read-only attribute, one validated tunable, one operation. */
public final class SampleBean {
    private volatile int lookAhead = 5;
    private volatile int resets;

    @Managed(description = "Ticks since start (count)")
    public long getTicks() {
        return 42;
    }

    @Managed(description = "Look-ahead n (steps of 1 s), 1..1000")
    public int getLookAhead() {
        return lookAhead;
    }

    @Managed
    public void setLookAhead(int value) {
        if (value < 1 || value > 1000) {
            throw new IllegalArgumentException("lookAhead: expected 1..1000, got " + value);
        }
        lookAhead = value;
    }

    @Managed(description = "Resets something; returns what it did")
    public String reset() {
        resets++;
        return "reset " + resets;
    }
}
