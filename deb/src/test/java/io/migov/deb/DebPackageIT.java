// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built .deb as a file: lintian, control, contents, permissions, time stamps, copyright. */
class DebPackageIT {

    @TempDir
    Path tmp;

    /** No lintian error or warning (also at pedantic and info level) that is not overridden with a reason. */
    @Test
    void lintian_reportsNothingUnjustified() throws Exception {
        Path deb = Deb.file();
        long t0 = System.nanoTime();
        Cmd.Result r = Cmd.run(Duration.ofMinutes(5), "lintian", "--info", "--display-info", "--pedantic", "--show-overrides",
                "--fail-on", "error,warning", deb.toString());
        System.out.println("lintian " + deb.getFileName() + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms), exit " + r.exit()
                + ":\n" + r.out());
        assertEquals(0, r.exit(), "lintian found problems (fix them, or override them with a reason in deb/src/deb/lintian-overrides):\n"
                + r.out() + r.err());
        for (String line : r.out().split("\n")) {
            // E: errors, W: warnings, I: info, P: pedantic, X: experimental; O: overridden, N: notes
            assertTrue(line.isBlank() || line.startsWith("O: ") || line.startsWith("N:"), "not overridden: " + line);
        }
        // every override has its reason right above it
        List<String> overrides = Files.readAllLines(Cmd.root().resolve("deb/src/deb/lintian-overrides"));
        for (int i = 0; i < overrides.size(); i++) {
            String line = overrides.get(i);
            if (!line.isBlank() && !line.startsWith("#")) {
                assertTrue(line.startsWith("migov: "), line);
                assertTrue(i > 0 && overrides.get(i - 1).startsWith("#"), "override without a reason above it: " + line);
            }
        }
    }

    @Test
    void control_namesTheRuntimeDependencies() throws Exception {
        Map<String, String> c = control(Deb.file());
        assertEquals("migov", c.get("Package"));
        assertEquals("all", c.get("Architecture"));
        assertEquals(System.getProperty("migov.version", c.get("Version")), c.get("Version"));
        assertTrue(Deb.file().getFileName().toString().equals("migov_" + c.get("Version") + "_all.deb"));
        List<String> depends = List.of(c.get("Depends").split(",\\s*"));
        assertTrue(depends.contains("default-jre-headless (>= 2:1.17) | openjdk-17-jre-headless | java17-runtime-headless"), depends.toString());
        assertTrue(depends.contains("libvirt0"), depends.toString());
        assertEquals("libvirt-daemon-system", c.get("Recommends"));
        Cmd.Result conffiles = Cmd.run(Duration.ofSeconds(30), "sh", "-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -xOf - ./conffiles", "sh",
                Deb.file().toString()).ok();
        assertEquals(List.of("/etc/migov/migov.json", "/etc/libvirt/hooks/qemu.d/migov"), List.of(conffiles.out().strip().split("\n")));
    }

    /** Where each file goes, its mode and owner; every entry carries the build's fixed time stamp. */
    @Test
    void contents_filesModesOwnersAndReproducibleTimestamps() throws Exception {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), "dpkg-deb", "--contents", Deb.file().toString()).ok();
        Map<String, String> files = new LinkedHashMap<>();
        Pattern line = Pattern.compile("(\\S+) (\\S+)\\s+\\d+ (\\S+ \\S+) \\./(.*)");
        for (String l : r.out().split("\n")) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            assertEquals("2026-01-01 00:00", m.group(3), "time stamp of " + l + " (project.build.outputTimestamp)");
            assertEquals("root/root", m.group(2), l);
            if (!m.group(1).startsWith("d")) {
                files.put("/" + m.group(4), m.group(1));
            }
        }
        assertEquals(Map.of(
                "/usr/share/migov/migov.jar", "-rw-r--r--",
                "/usr/bin/migov", "-rwxr-xr-x",
                "/lib/systemd/system/migov.service", "-rw-r--r--",
                "/etc/migov/migov.json", "-rw-r--r--",
                "/etc/libvirt/hooks/qemu.d/migov", "-rwxr-xr-x",
                "/usr/share/doc/migov/copyright", "-rw-r--r--",
                "/usr/share/doc/migov/changelog.gz", "-rw-r--r--",
                "/usr/share/man/man1/migov.1.gz", "-rw-r--r--",
                "/usr/share/lintian/overrides/migov", "-rw-r--r--"), files);
        assertTrue(!r.out().contains("./etc/libvirt/hooks/qemu "), "never ships /etc/libvirt/hooks/qemu");

        Cmd.run(Duration.ofMinutes(1), "dpkg-deb", "-x", Deb.file().toString(), tmp.toString()).ok();
        Path root = Cmd.root();
        assertArrayEquals(Files.readAllBytes(root.resolve("hooks/migov")), Files.readAllBytes(tmp.resolve("etc/libvirt/hooks/qemu.d/migov")));
        assertArrayEquals(Files.readAllBytes(root.resolve("packaging/launcher/migov")), Files.readAllBytes(tmp.resolve("usr/bin/migov")));
        assertArrayEquals(Files.readAllBytes(root.resolve("packaging/migov.json")), Files.readAllBytes(tmp.resolve("etc/migov/migov.json")));
        assertArrayEquals(Files.readAllBytes(root.resolve("plugin/target/migov.jar")), Files.readAllBytes(tmp.resolve("usr/share/migov/migov.jar")));
        Cmd.Result ar = Cmd.run(Duration.ofSeconds(30), "ar", "tv", Deb.file().toString()).ok();
        for (String l : ar.out().strip().split("\n")) {
            assertTrue(l.contains("Jan  1 00:00 2026"), "ar member time stamp: " + l);
        }
    }

    /** Every class and native library in the jar belongs to a Files paragraph of the copyright file. */
    @Test
    void copyright_coversEveryLibraryInTheJar() throws Exception {
        String copyright = Files.readString(Cmd.root().resolve("deb/src/deb/doc/copyright"));
        List<String> prefixes = new ArrayList<>(List.of("io/migov/")); // migov's own: Files: *
        Matcher m = Pattern.compile("usr/share/migov/migov\\.jar:(\\S+)\\*").matcher(copyright);
        while (m.find()) {
            prefixes.add(m.group(1));
        }
        List<String> uncovered = new ArrayList<>();
        try (ZipFile jar = new ZipFile(Cmd.root().resolve("plugin/target/migov.jar").toFile())) {
            for (ZipEntry e : java.util.Collections.list(jar.entries())) {
                String name = e.getName().replaceFirst("^META-INF/versions/\\d+/", "");
                if (!name.matches(".*\\.(class|so|dll|jnilib|dylib|a)$") || name.equals("module-info.class")) {
                    continue;
                }
                if (prefixes.stream().noneMatch(name::startsWith)) {
                    String pkg = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : name;
                    if (!uncovered.contains(pkg)) {
                        uncovered.add(pkg);
                    }
                }
            }
        }
        assertEquals(List.of(), uncovered, "add these bundled libraries (and their licence) to deb/src/deb/doc/copyright");
    }

    static Map<String, String> control(Path deb) {
        Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "dpkg-deb", "--field", deb.toString()).ok();
        Map<String, String> out = new LinkedHashMap<>();
        String key = null;
        for (String l : r.out().split("\n")) {
            if (l.startsWith(" ") && key != null) {
                out.put(key, out.get(key) + "\n" + l);
            } else if (l.contains(":")) {
                key = l.substring(0, l.indexOf(':'));
                out.put(key, l.substring(l.indexOf(':') + 1).strip());
            }
        }
        return out;
    }
}
