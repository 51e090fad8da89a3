// SPDX-License-Identifier: Apache-2.0
package io.migov.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shipped configuration (packaging/migov.json), the starting point the property tests mutate. */
public final class PackagedConfig {

    private PackagedConfig() {
    }

    /** Every key of packaging/migov.json with its value as JSON text, in the file's order. */
    public static Map<String, String> entries() {
        try {
            var tree = new ObjectMapper().readTree(Files.readString(Path.of("..", "packaging", "migov.json")));
            Map<String, String> m = new LinkedHashMap<>();
            tree.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().toString()));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
