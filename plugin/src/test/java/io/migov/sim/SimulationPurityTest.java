// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator is pure Java over the decision core: only java.*, io.migov.core and itself; jackson
 * only in the two input loaders, CSV files through io.migov.csv (over Jackson), picocli's text table
 * only in {@link TextGrid}. So it can never drift into needing a lab.
 */
class SimulationPurityTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)");
    private static final Set<String> LOADERS = Set.of("WorkloadsFile.java", "RecordScenarios.java");

    @Test
    void simSources_importOnlyJavaTheCoreAndJacksonInLoaders() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/migov/sim"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    var m = IMPORT.matcher(line);
                    if (!m.find()) {
                        continue;
                    }
                    String name = m.group(2);
                    boolean allowed = name.startsWith("java.") || name.startsWith("io.migov.core.") || name.startsWith("io.migov.sim.")
                            || name.startsWith("com.fasterxml.jackson.") && LOADERS.contains(f.getFileName().toString())
                            || name.startsWith("io.migov.csv.")
                            || name.startsWith("picocli.CommandLine.Help") && f.getFileName().toString().equals("TextGrid.java");
                    if (!allowed) {
                        violations.add(f.getFileName() + ": " + line.strip());
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
