// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The built package ({@code deb/target/migov_<version>_all.deb}) and what is in it. */
final class Deb {

    private Deb() {
    }

    /** The one migov_*_all.deb the build made. */
    static Path file() throws IOException {
        Path dir = Path.of(System.getProperty("migov.debDir", "target"));
        List<Path> debs;
        try (Stream<Path> s = Files.list(dir)) {
            debs = s.filter(p -> p.getFileName().toString().matches("migov_[^_]+_all\\.deb")).toList();
        }
        if (debs.size() != 1) {
            throw new IllegalStateException("expected one migov_*_all.deb in " + dir.toAbsolutePath() + " (run mvn package), found " + debs);
        }
        return debs.get(0);
    }

    /** The systemd unit's [Service] settings (a key given twice keeps every value, in order). */
    static Map<String, List<String>> service(String unitText) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        boolean inService = false;
        for (String raw : unitText.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                inService = line.equals("[Service]");
                continue;
            }
            if (!inService || line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            out.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        return out;
    }

    /** ExecStart as argv: the unit's command line has no quotes or variables (checked), so words are blanks-separated. */
    static List<String> execStart(Map<String, List<String>> service) {
        List<String> exec = service.get("ExecStart");
        if (exec == null || exec.size() != 1) {
            throw new AssertionError("one ExecStart expected, got " + exec);
        }
        String line = exec.get(0);
        if (line.matches(".*[\"'$\\\\%].*") || line.startsWith("-") || line.startsWith("@") || line.startsWith("+")) {
            throw new AssertionError("ExecStart needs more than word splitting: " + line);
        }
        return List.of(line.split("\\s+"));
    }
}
