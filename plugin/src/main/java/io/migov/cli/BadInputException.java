// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

/** Input the user can fix (a file, a value); reported as one line and exit code 2. */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}
