// SPDX-License-Identifier: Apache-2.0
package io.migov.testbed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lab's one-line migration summary ({@code MIGRATE vm=… outcome=… total_ms=… …}) as fields. */
public record MigrationOutcome(Map<String, String> fields) {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S*)");

    public static MigrationOutcome parse(String line) {
        Map<String, String> f = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            String v = m.group(2);
            f.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        return new MigrationOutcome(f);
    }

    public String get(String key) {
        return fields.getOrDefault(key, "-");
    }

    public String outcome() {
        return get("outcome");
    }

    public boolean completed() {
        return "completed".equals(outcome());
    }

    public long number(String key) {
        String v = get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public long totalMillis() {
        return number("total_ms");
    }

    public long downtimeMillis() {
        return number("downtime_ms");
    }

    public long postcopyRequests() {
        return number("postcopy_requests");
    }

    /** Host the VM runs on after the attempt: A, B or none. */
    public String nowOn() {
        return get("now_on");
    }
}
