// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision core must not depend on any adapter technology (issue 2, item 1); the governor
 * engine and the ports may use the core but no adapter either. Arrows point down only.
 */
class CoreIsPureTest {

    /** Adapter technologies nobody above the adapters may name. */
    private static final String TECHNOLOGY = "org\\.libvirt|com\\.sun\\.jna|org\\.quartz|javax\\.management|org\\.weakref|com\\.codahale";

    /** The decision logic and the offline replay: only themselves, and reading CSV files (io.migov.csv: Jackson, no adapter). */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(" + TECHNOLOGY + "|io\\.migov\\.(?!core\\b|replay\\b|csv\\b)\\w+)\\b");

    /** The engine and its ports: the core, not the adapters, daemon or CLI. */
    private static final Pattern FORBIDDEN_FOR_ENGINE = Pattern.compile(
            "\\b(" + TECHNOLOGY + "|io\\.migov\\.(?!core\\b|port\\b|governor\\b)\\w+)\\b");

    @Test
    void coreSources_importNoAdapterPackage() throws IOException {
        assertEquals(List.of(), violations(FORBIDDEN, List.of(Path.of("src/main/java/io/migov/core"), Path.of("src/main/java/io/migov/replay"))));
    }

    @Test
    void engineAndPorts_importNoAdapterPackage() throws IOException {
        assertEquals(List.of(), violations(FORBIDDEN_FOR_ENGINE,
                List.of(Path.of("src/main/java/io/migov/governor"), Path.of("src/main/java/io/migov/port"))));
    }

    /** The storage core (issue 11) imports only Java, Jackson (its model codec) and the core itself. */
    private static final Pattern STORAGE_CORE_IMPORT = Pattern.compile(
            "^import (static )?(?!java\\.|com\\.fasterxml\\.jackson\\.|io\\.migov\\.core\\.)");

    @Test
    void storageCore_importsOnlyJavaJacksonAndCore() throws IOException {
        Path storage = Path.of("src/main/java/io/migov/core/storage");
        assertEquals(List.of(), violations(FORBIDDEN, List.of(storage)));
        assertEquals(List.of(), violations(STORAGE_CORE_IMPORT, List.of(storage)));
        assertTrue(STORAGE_CORE_IMPORT.matcher("import io.migov.storage.ProcDiskStats;").find());
        assertTrue(STORAGE_CORE_IMPORT.matcher("import org.slf4j.Logger;").find());
        assertTrue(!STORAGE_CORE_IMPORT.matcher("import java.util.List;").find());
    }

    private static List<String> violations(Pattern forbidden, List<Path> roots) throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path root : roots) {
            assertTrue(Files.isDirectory(root), "missing " + root.toAbsolutePath());
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(p);
                    for (int i = 0; i < lines.size(); i++) {
                        if (forbidden.matcher(lines.get(i)).find()) {
                            violations.add(p + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertTrue(files > 5, "expected sources under " + roots + ", found " + files);
        return violations;
    }

    @Test
    void forbiddenPattern_catchesEachAdapterPackage() {
        for (String line : List.of("import org.libvirt.Domain;", "import com.sun.jna.Native;", "import org.quartz.Job;",
                "import javax.management.MBeanServer;", "import org.weakref.jmx.Managed;", "import com.codahale.metrics.Timer;",
                "import io.migov.daemon.Governor;", "x = new org.libvirt.Connect(uri);")) {
            assertTrue(FORBIDDEN.matcher(line).find(), line);
        }
        for (String line : List.of("import io.migov.core.Sample;", "import java.util.List;", "import io.migov.replay.Trace;",
                "import io.migov.csv.HeaderCsv;")) {
            assertTrue(!FORBIDDEN.matcher(line).find(), line);
        }
        assertTrue(FORBIDDEN.matcher("import io.migov.governor.Governor;").find());
        assertTrue(FORBIDDEN_FOR_ENGINE.matcher("import io.migov.libvirt.LibvirtHypervisor;").find());
        assertTrue(!FORBIDDEN_FOR_ENGINE.matcher("import io.migov.port.Hypervisor;").find());
    }
}
