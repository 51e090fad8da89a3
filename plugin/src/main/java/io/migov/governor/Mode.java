// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import java.util.Locale;

/** How far the governor goes. */
public enum Mode {
    /** Decide and carry out actions on migrations (default). */
    ENFORCE,
    /** Decide and log, touch nothing. */
    ADVISE,
    /** Profile only; no decisions on migrations. */
    OFF;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String field, String value) {
        if (value != null) {
            for (Mode m : values()) {
                if (m.configName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException(field + ": expected one of enforce, advise, off, got '" + value + "'");
    }
}
