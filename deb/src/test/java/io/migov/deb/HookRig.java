// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The libvirt hook ({@code hooks/migov}) installed into a scratch hooks directory the way libvirt
 * sees it — {@code <dir>/hooks/qemu.d/migov} with {@code <dir>/hooks/migov-hook.conf} pointing its
 * spool at {@code <dir>/spool} and its log at {@code <spool>/hook.log} — and run as libvirt runs it.
 */
final class HookRig {

    /** The operations and sub-operations libvirt's qemu driver calls the hook with. */
    static final List<List<String>> LIBVIRT_OPERATIONS = List.of(
            List.of("prepare", "begin"), List.of("start", "begin"), List.of("started", "begin"),
            List.of("stopped", "end"), List.of("release", "end"), List.of("migrate", "begin"),
            List.of("restore", "begin"), List.of("reconnect", "begin"), List.of("attach", "begin"));

    static final String UUID = "0c3e2f4a-1111-2222-3333-444455556666";
    static final String MODEL_ELEMENT = "<migov:model xmlns:migov=\"https://migov.io/xmlns/model/1\" version=\"1\">"
            + "{\"format\":\"migov-markov\",\"version\":1,\"states\":81,\"previous\":72,\"samples\":3,\"rows\":[[72,72,2]]}</migov:model>";

    final Path dir;
    final Path hook;
    final Path spool;

    HookRig(Path dir, Path hookSource) throws IOException {
        this.dir = dir;
        Path qemuD = Files.createDirectories(dir.resolve("hooks/qemu.d"));
        this.hook = qemuD.resolve("migov");
        Files.copy(hookSource, hook);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.spool = Files.createDirectories(dir.resolve("spool"));
        conf("spool_dir=" + spool + "\nsyslog=no\n");
    }

    static HookRig fromSource(Path dir) throws IOException {
        return new HookRig(dir, Cmd.root().resolve("hooks/migov"));
    }

    void conf(String text) throws IOException {
        Files.writeString(dir.resolve("hooks/migov-hook.conf"), text);
    }

    /** A domain XML as libvirt hands it over at migrate begin; {@code metadata} goes into {@code <metadata>}. */
    static String domainXml(String name, String uuid, String metadata) {
        return "<domain type='qemu'>\n  <name>" + name + "</name>\n  <uuid>" + uuid + "</uuid>\n"
                + "  <memory unit='KiB'>524288</memory>\n"
                + (metadata == null ? "" : "  <metadata>\n    " + metadata + "\n  </metadata>\n")
                + "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n</domain>\n";
    }

    Cmd.Result run(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(hook.toString());
        cmd.addAll(List.of(args));
        return Cmd.run(Duration.ofSeconds(30), cmd, stdin, dir, Map.of());
    }

    /**
     * Runs the hook with a domain name given as a printf(1) format (octal escapes: any bytes, also
     * ones Java cannot put into an argument), through sh, exactly as an exec from libvirt would.
     */
    Cmd.Result runRawName(String printfName, String op, String sub, byte[] stdin) {
        return Cmd.run(Duration.ofSeconds(30), List.of("sh", "-c", "n=$(printf \"$1\"; echo .); n=${n%.}; exec \"$0\" \"$n\" \"$2\" \"$3\" -",
                hook.toString(), printfName, op, sub), stdin, dir, Map.of());
    }

    /**
     * One operation from the spool: its header line, the domain name decoded, and for a
     * {@code .domain} file the domain XML bytes after it (null for a {@code .ev} file).
     */
    record Event(byte[] name, String op, String sub, String file, byte[] xml) {
        String nameText() {
            return new String(name, StandardCharsets.UTF_8);
        }
    }

    /** Every {@code .ev} and {@code .domain} file, oldest name first; an AssertionError for a malformed header. */
    List<Event> events() throws IOException {
        List<Event> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(spool)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+-\\d+\\.(ev|domain)")).sorted().toList()) {
                byte[] data = Files.readAllBytes(p);
                boolean domain = p.getFileName().toString().endsWith(".domain");
                int nl = 0;
                while (nl < data.length && data[nl] != '\n') {
                    nl++;
                }
                String line = new String(data, 0, nl, StandardCharsets.US_ASCII);
                String[] f = line.split(" ", -1);
                if (nl == data.length || (!domain && nl != data.length - 1) || f.length != 6 || !f[0].equals("migov-hook")
                        || !f[1].equals("2") || !f[2].matches("\\d+")) {
                    throw new AssertionError("malformed header line in " + p + ": " + line);
                }
                byte[] name = f[3].equals("-") ? new byte[0] : HexFormat.of().parseHex(f[3]);
                byte[] xml = domain ? Arrays.copyOfRange(data, nl + 1, data.length) : null;
                out.add(new Event(name, f[4], f[5], p.getFileName().toString(), xml));
            }
        }
        return out;
    }

    /** The {@code .domain} files: operations handed over with their domain XML. */
    List<Path> domains() throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".domain")).sorted().toList();
        }
    }

    List<String> logLines() {
        Path log = spool.resolve("hook.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything in the spool, temp files included. */
    List<String> spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    void clearSpool() throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }
}
