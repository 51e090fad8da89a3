// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

/** The daemon could not start for a reason other than its configuration (e.g. the scheduler failed). */
public final class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;

    public DaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}
