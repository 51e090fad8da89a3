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

/** The decision core must not depend on any adapter technology (issue 2, item 1). */
class CoreIsPureTest {

    /** Packages that hold the pure decision logic and the offline replay. */
    private static final List<Path> PURE_SOURCES = List.of(
            Path.of("src/main/java/io/migov/core"),
            Path.of("src/main/java/io/migov/replay"));

    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(org\\.libvirt|com\\.sun\\.jna|org\\.quartz|javax\\.management|org\\.weakref|com\\.codahale|io\\.migov\\.(?!core\\b|replay\\b)\\w+)\\b");

    @Test
    void coreSources_importNoAdapterPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path root : PURE_SOURCES) {
            assertTrue(Files.isDirectory(root), "missing " + root.toAbsolutePath());
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(p);
                    for (int i = 0; i < lines.size(); i++) {
                        if (FORBIDDEN.matcher(lines.get(i)).find()) {
                            violations.add(p + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertTrue(files > 10, "expected the core sources, found " + files);
        assertEquals(List.of(), violations);
    }

    @Test
    void forbiddenPattern_catchesEachAdapterPackage() {
        for (String line : List.of("import org.libvirt.Domain;", "import com.sun.jna.Native;", "import org.quartz.Job;",
                "import javax.management.MBeanServer;", "import org.weakref.jmx.Managed;", "import com.codahale.metrics.Timer;",
                "import io.migov.daemon.Governor;", "x = new org.libvirt.Connect(uri);")) {
            assertTrue(FORBIDDEN.matcher(line).find(), line);
        }
        for (String line : List.of("import io.migov.core.Sample;", "import java.util.List;", "import io.migov.replay.Trace;")) {
            assertTrue(!FORBIDDEN.matcher(line).find(), line);
        }
    }
}
