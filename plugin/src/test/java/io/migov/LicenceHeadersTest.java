// SPDX-License-Identifier: Apache-2.0
package io.migov;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Apache-2.0 (LICENSE): every source file of the repository says so in its first lines. */
class LicenceHeadersTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String TAG = "SPDX-License-Identifier: Apache-2.0";

    @Test
    void licence_isApache2() throws IOException {
        String licence = Files.readString(ROOT.resolve("LICENSE"), StandardCharsets.UTF_8);
        assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004"), "LICENSE is not the Apache-2.0 text");
    }

    @Test
    void everySourceFile_carriesTheSpdxLine() throws IOException {
        List<Path> missing;
        try (Stream<Path> files = Files.walk(ROOT)) {
            missing = files.filter(Files::isRegularFile)
                    .filter(p -> !ROOT.relativize(p).toString().matches("(?:.*/)?(?:target|\\.git|node_modules)/.*|\\.git/.*"))
                    .filter(LicenceHeadersTest::isSource)
                    .filter(p -> !head(p).contains(TAG))
                    .map(ROOT::relativize)
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), missing, "source files without '" + TAG + "' in their first lines");
    }

    /** Code and scripts we wrote: Java, C, poms, the unit, Makefiles and anything starting with a shebang. */
    private static boolean isSource(Path p) {
        String name = p.getFileName().toString();
        if (name.endsWith(".java") || name.endsWith(".c") || name.endsWith(".h") || name.equals("pom.xml")
                || name.endsWith(".sh") || name.endsWith(".service") || name.equals("Makefile")) {
            return true;
        }
        return head(p).startsWith("#!");
    }

    private static String head(Path p) {
        byte[] buf = new byte[600];
        try (var in = Files.newInputStream(p)) {
            int n = in.readNBytes(buf, 0, buf.length);
            return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
