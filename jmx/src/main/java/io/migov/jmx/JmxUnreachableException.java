// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import java.io.IOException;

/** The JMX agent could not be reached: no such process, connection refused, attach refused, … */
public final class JmxUnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    public JmxUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    public JmxUnreachableException(String message) {
        super(message);
    }
}
