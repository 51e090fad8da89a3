// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.governor.GovernorSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue of config keys against what it is the one source of: the documentation's table and the records' defaults. */
class SettingsTest {

    private static final String HEADER = "| key | meaning | unit | default | bounds | runtime |";

    /** The rows of the keys table in docs/configuration.md, header and separator included. */
    private static List<String> documentedTable() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "configuration.md"));
        int start = lines.indexOf(HEADER);
        assertTrue(start >= 0, "docs/configuration.md has no line " + HEADER);
        List<String> table = new ArrayList<>();
        for (int i = start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            table.add(lines.get(i));
        }
        return table;
    }

    private static String keyOf(String row) {
        int a = row.indexOf('`');
        return a < 0 ? row : row.substring(a + 1, row.indexOf('`', a + 1));
    }

    @Test
    void documentation_tableIsRenderedFromTheCatalogue() throws Exception {
        List<String> documented = documentedTable();
        List<String> expected = List.of(Settings.markdownTable().split("\n"));
        String hint = " (Settings.markdownTable() renders the expected table; Settings.main prints it)";
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String row : documented.subList(2, documented.size())) {
            byKey.put(keyOf(row), row);
        }
        for (Setting<?> s : Settings.ALL) {
            String row = byKey.remove(s.key());
            assertNotNull(row, s.key() + " has no row in docs/configuration.md" + hint);
            assertEquals(s.markdownRow(), row, "the row of " + s.key() + " in docs/configuration.md differs from Settings" + hint);
        }
        assertEquals(List.of(), List.copyOf(byKey.keySet()), "rows in docs/configuration.md for keys Settings does not declare");
        assertEquals(expected, documented, "the rows of docs/configuration.md are not in the order of Settings" + hint);
    }

    @Test
    void catalogue_keysAreTheConfigKeys_uniqueAndEachDescribed() {
        assertEquals(Settings.ALL.stream().map(Setting::key).toList(), DaemonConfig.keys());
        assertEquals(Settings.ALL.size(), Settings.ALL.stream().map(Setting::key).distinct().count());
        for (Setting<?> s : Settings.ALL) {
            assertFalse(s.meaning().isBlank() || s.unit().isBlank() || s.defaultText().isBlank() || s.bounds().isBlank(), s.key());
            assertFalse(s.description().contains("`"), s.key() + ": " + s.description());
            if (s.runtimeMutable()) {
                assertTrue(s.exposed(), s.key() + ": every runtime-mutable key is an attribute");
                assertEquals(s.type(), s.attributeType(), s.key());
            }
        }
    }

    /**
     * docs/management.md's Tunables tables: a row per attribute whose type and unit (and, for
     * runtime-mutable ones, bounds and default) are the catalogue's; the meaning there is a short gloss.
     */
    @Test
    void managementDocumentation_tunablesRows_agreeWithTheCatalogue() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "management.md"));
        List<String> wrong = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            if (!s.exposed()) {
                continue;
            }
            String prefix = "| `" + s.attributeName() + "` | ";
            List<String> rows = lines.stream().filter(l -> l.startsWith(prefix)).toList();
            if (rows.size() != 1) {
                wrong.add(s.attributeName() + ": " + rows.size() + " rows");
                continue;
            }
            String[] cells = rows.get(0).substring(2, rows.get(0).length() - 2).split(" \\| ");
            String type = s.attributeType() == String.class ? "String" : s.attributeType() == Integer.class ? "int"
                    : s.attributeType().getSimpleName().toLowerCase(java.util.Locale.ROOT);
            List<String> expected = s.runtimeMutable() ? List.of(type, s.unit(), s.bounds(), s.defaultText()) : List.of(type, s.unit());
            List<String> actual = List.of(cells).subList(1, 1 + expected.size());
            if (!expected.equals(actual)) {
                wrong.add(s.attributeName() + ": expected " + expected + ", got " + actual);
            }
        }
        assertEquals(List.of(), wrong, "docs/management.md Tunables rows that disagree with Settings");
    }

    /** The documented default is the records' (the catalogue describes it; the records hold it). */
    @Test
    void documentedDefaults_areTheDefaultConfigsValues() throws Exception {
        DaemonConfig defaults = DaemonConfig.defaults(DaemonConfig.Overrides.NONE);
        for (Setting<?> s : Settings.ALL) {
            if (s.key().equals("spoolDir") || s.key().equals("thresholds")) {
                continue; // derived from stateDir; a scheme, checked by DaemonConfigTest
            }
            Object value = s.current(defaults);
            String shown = value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue())
                    : value.toString().isEmpty() ? "null" : value.toString();
            String documented = s.defaultText().replace("`", "");
            int note = documented.indexOf(" (");
            assertEquals(note < 0 ? documented : documented.substring(0, note), shown, s.key() + ": documented default");
        }
    }

    /** Each runtime-mutable key sets itself and nothing else. */
    @Test
    void runtimeKeys_withTheirOwnValue_changeNothing() {
        GovernorSettings d = GovernorSettings.DEFAULTS;
        for (Setting<?> s : Settings.runtimeMutable()) {
            assertEquals(d, s.with(d, s.value(d)), s.key());
        }
    }
}
