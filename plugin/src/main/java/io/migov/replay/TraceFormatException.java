// SPDX-License-Identifier: Apache-2.0
package io.migov.replay;

/** A trace file that cannot be used; the message names the line and the field. */
public final class TraceFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public TraceFormatException(String message) {
        super(message);
    }
}
