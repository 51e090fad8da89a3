// SPDX-License-Identifier: Apache-2.0
package io.migov.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A guest's serial console, with the workload programs' {@code MIGOV …} lines picked out. */
public record ConsoleLog(List<String> lines) {

    private static final Pattern PERF = Pattern.compile("MIGOV (\\w+) t=(\\d+) ops=(\\d+)(.*)");

    /** One per-second line of a workload program. */
    public record PerfLine(String program, long seconds, long ops, String rest) {
    }

    public ConsoleLog {
        lines = List.copyOf(lines);
    }

    public List<PerfLine> perf(String program) {
        List<PerfLine> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PERF.matcher(line.strip());
            if (m.find() && m.group(1).equals(program)) {
                out.add(new PerfLine(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), m.group(4).strip()));
            }
        }
        return out;
    }

    /** Lines reporting an integrity mismatch (the "no data lost" proof fails on any). */
    public List<String> integrityFailures() {
        return lines.stream().filter(l -> l.contains("MIGOV INTEGRITY FAIL")).toList();
    }

    /** The last per-second line of {@code program}, or null. */
    public PerfLine last(String program) {
        List<PerfLine> p = perf(program);
        return p.isEmpty() ? null : p.get(p.size() - 1);
    }

    /** A value {@code key=value} from a perf line's extra fields, or -1. */
    public static long field(PerfLine line, String key) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(key) + "=(\\d+)").matcher(line.rest());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
