// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell scripts of the package are shellcheck-clean; the launcher finds Java and the jar. */
class PackagingScriptsTest {

    /** Every shell script that ends up in the package. */
    static final List<String> SCRIPTS = List.of("hooks/migov", "packaging/launcher/migov",
            "deb/src/deb/control/postinst", "deb/src/deb/control/prerm", "deb/src/deb/control/postrm");

    @TempDir
    Path tmp;

    @Test
    void shellScripts_areShellcheckClean_posixSh() {
        Cmd.Result version = Cmd.run(Duration.ofSeconds(30), "sh", "-c", "command -v shellcheck && shellcheck --version");
        assertEquals(0, version.exit(), "shellcheck is not installed (testbed/lab deps installs it)");
        for (String script : SCRIPTS) {
            Path p = Cmd.root().resolve(script);
            assertTrue(Files.isExecutable(p), script + " must be executable");
            try {
                assertTrue(Files.readString(p).startsWith("#!/bin/sh\n"), script + ": #!/bin/sh");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Cmd.Result r = Cmd.run(Duration.ofSeconds(60), "shellcheck", "--shell=sh", "--severity=style", p.toString());
            assertEquals(0, r.exit(), "shellcheck " + script + ":\n" + r.out() + r.err());
        }
    }

    /** The launcher, unpacked as in the package (usr/bin, usr/share/migov), runs the jar on Java 17+. */
    @Test
    void launcher_runsTheJarFromItsOwnTree_onJava17() throws Exception {
        Path jar = Cmd.root().resolve("plugin/target/migov.jar");
        assertTrue(Files.isRegularFile(jar), "build the plugin first: " + jar);
        Path bin = Files.createDirectories(tmp.resolve("usr/bin"));
        Path share = Files.createDirectories(tmp.resolve("usr/share/migov"));
        Files.copy(Cmd.root().resolve("packaging/launcher/migov"), bin.resolve("migov"));
        Files.setPosixFilePermissions(bin.resolve("migov"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(share.resolve("migov.jar"), jar);

        Cmd.Result r = Cmd.run(Duration.ofSeconds(60), bin.resolve("migov").toString(), "--version").ok();
        assertTrue(r.out().startsWith("migov "), r.toString());

        // an old Java in JAVA_HOME is passed over; options are split but never globbed
        Path old = Files.createDirectories(tmp.resolve("jdk8/bin"));
        Files.writeString(tmp.resolve("jdk8/release"), "JAVA_VERSION=\"1.8.0_392\"\n");
        Files.writeString(old.resolve("java"), "#!/bin/sh\necho old java >&2\nexit 9\n");
        Files.setPosixFilePermissions(old.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        r = Cmd.run(Duration.ofSeconds(60), List.of(bin.resolve("migov").toString(), "--version"), null, tmp,
                Map.of("JAVA_HOME", tmp.resolve("jdk8").toString(), "MIGOV_JAVA_OPTS", "-Dmigov.x=* -Xmx64m")).ok();
        assertTrue(r.out().startsWith("migov "), r.toString());

        // exit codes pass through
        r = Cmd.run(Duration.ofSeconds(60), bin.resolve("migov").toString(), "daemon", "--config", tmp.resolve("missing.json").toString());
        assertEquals(2, r.exit(), r.toString());
    }
}
