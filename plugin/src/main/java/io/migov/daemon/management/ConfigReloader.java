// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;

/** Reads the daemon's configuration again, exactly as at startup (the same file and command-line overrides). */
public interface ConfigReloader {

    /** The whole configuration, validated; nothing is applied here. */
    DaemonConfig reload() throws ConfigException;

    /** Where it comes from, for messages: the file, or a note that there is none. */
    String source();

    /** For a daemon started without a reload source (tests): reloading fails with a clear message. */
    ConfigReloader NONE = new ConfigReloader() {
        @Override
        public DaemonConfig reload() throws ConfigException {
            throw new ConfigException("config: reload: this daemon was started without a configuration source");
        }

        @Override
        public String source() {
            return "(none)";
        }
    };
}
