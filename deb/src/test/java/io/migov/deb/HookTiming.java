// SPDX-License-Identifier: Apache-2.0
package io.migov.deb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installed hook, run as root (as libvirtd does) for every libvirt operation, 5 rounds, each call
 * timed inside the installed system: exit 0, no output, and quick — libvirt waits for it.
 */
final class HookTiming {

    /** The median of a hook call must stay under this; any single call under five times it. */
    static final long LIMIT_MILLIS = 100;

    private HookTiming() {
    }

    /**
     * Writes its script and a domain XML into {@code scratch} (the host's path of {@code scratchInside}
     * in the installed system), runs the script there with {@code runScript} (given the script's path
     * inside), asserts, removes its files and returns one "op sub exit ms bytes" per call.
     */
    static List<String[]> run(Path scratch, String scratchInside, Function<String, Cmd.Result> runScript, String label,
            Consumer<String> log) throws IOException {
        Files.writeString(scratch.resolve("domain.xml"), HookRig.domainXml("deb-vm", HookRig.UUID, HookRig.MODEL_ELEMENT));
        StringBuilder ops = new StringBuilder();
        for (List<String> op : HookRig.LIBVIRT_OPERATIONS) {
            ops.append(op.get(0)).append(':').append(op.get(1)).append(' ');
        }
        String script = """
                #!/bin/sh
                # runs the installed hook as libvirt does; one line per call: op sub exit-status milliseconds output-bytes
                for round in 1 2 3 4 5; do
                    for pair in %1$s; do
                        op=${pair%%:*}
                        sub=${pair#*:}
                        t0=$(date +%%s%%N)
                        %2$s deb-vm "$op" "$sub" - <%3$s/domain.xml >%3$s/hook.out 2>&1
                        rc=$?
                        t1=$(date +%%s%%N)
                        echo "$op $sub $rc $(((t1 - t0) / 1000000)) $(wc -c <%3$s/hook.out)"
                    done
                done
                """.formatted(ops.toString().strip(), DebInstallIT.HOOK, scratchInside);
        Files.writeString(scratch.resolve("hook-timing.sh"), script);
        Cmd.Result r;
        try {
            r = runScript.apply(scratchInside + "/hook-timing.sh").ok();
        } finally {
            for (String f : List.of("domain.xml", "hook-timing.sh", "hook.out")) {
                Files.deleteIfExists(scratch.resolve(f));
            }
        }
        List<String[]> runs = new ArrayList<>();
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (String l : r.out().strip().split("\n")) {
            String[] f = l.split(" ");
            runs.add(f);
            assertEquals("0", f[2], "exit status: " + l);
            assertEquals("0", f[4], "the hook printed something: " + l);
            times.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>()).add(Long.parseLong(f[3]));
        }
        List<String> slow = new ArrayList<>();
        long max = 0;
        for (Map.Entry<String, List<Long>> e : times.entrySet()) {
            long[] t = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            max = Math.max(max, t[t.length - 1]);
            if (t[t.length / 2] >= LIMIT_MILLIS) {
                slow.add(e.getKey() + " " + Arrays.toString(t));
            }
        }
        log.accept("hook, " + label + ": " + runs.size() + " calls, per operation (ms): " + times + ", max " + max + " ms");
        assertEquals(List.of(), slow, "hook calls slower than " + LIMIT_MILLIS + " ms (median of 5)");
        assertTrue(max < 5 * LIMIT_MILLIS, "a hook call took " + max + " ms");
        assertEquals(5 * HookRig.LIBVIRT_OPERATIONS.size(), runs.size());
        return runs;
    }
}
