// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

/** The daemon cannot be reached (not running, wrong URL, refused credentials); exit code 3. */
final class UnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
