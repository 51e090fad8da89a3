// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.management.ManagementPlane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code migov get [NAME]}: the governor's settings (runtime-mutable and startup-only). */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Show the governor's settings; with NAME (a config key such as lookAhead) just that value.",
                "Runtime-mutable ones can be changed with 'migov set'."})
final class GetCommand extends ManagementCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A setting, e.g. lookAhead or mode (case-insensitive).")
    String name;

    /** The Tunables attribute called {@code name} (config key or attribute name, any case); exit 2 when there is none. */
    static MBeanAttributeInfo find(MBeanInfo info, String name) {
        List<String> known = new ArrayList<>();
        for (MBeanAttributeInfo a : info.getAttributes()) {
            if (a.getName().equalsIgnoreCase(name)) {
                return a;
            }
            known.add(key(a.getName()));
        }
        throw new BadInputException("unknown setting '" + name + "'; known: " + String.join(", ", known));
    }

    static String access(MBeanAttributeInfo a) {
        return a.isWritable() ? "runtime-mutable" : "startup-only";
    }

    @Override
    int run(String target) throws IOException, JMException {
        MBeanInfo info = daemonMBean(ManagementPlane.TUNABLES);
        if (name != null) {
            MBeanAttributeInfo a = find(info, name);
            Object value = mbeans.getAttribute(ManagementPlane.TUNABLES, a.getName());
            if (json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put(key(a.getName()), value);
                printJson(out);
            } else {
                print(TextTable.cell(value) + "\n");
            }
            return 0;
        }
        Map<String, Object> values = attributes(ManagementPlane.TUNABLES);
        if (json()) {
            printJson(values);
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (boolean writable : new boolean[] {true, false}) { // runtime-mutable first
            for (MBeanAttributeInfo a : info.getAttributes()) {
                String k = key(a.getName());
                if (a.isWritable() == writable && values.containsKey(k)) {
                    rows.add(List.of(k, TextTable.cell(values.get(k)), access(a)));
                }
            }
        }
        print(TextTable.table(List.of("SETTING", "VALUE", "ACCESS"), rows));
        return 0;
    }

    /** Converts the command-line text to the attribute's type; exit 2 when it does not fit. */
    static Object convert(MBeanAttributeInfo a, String text) {
        String k = key(a.getName());
        String t = text.strip();
        try {
            return switch (a.getType()) {
                case "int", "java.lang.Integer" -> Integer.parseInt(t);
                case "long", "java.lang.Long" -> Long.parseLong(t);
                case "double", "java.lang.Double" -> Double.parseDouble(t);
                case "boolean", "java.lang.Boolean" -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new NumberFormatException();
                };
                case "java.lang.String" -> text;
                default -> throw new BadInputException(k + ": cannot be set from the command line (type " + a.getType() + ")");
            };
        } catch (NumberFormatException e) {
            String expected = switch (a.getType()) {
                case "int", "java.lang.Integer" -> "an integer (32-bit)";
                case "long", "java.lang.Long" -> "an integer (64-bit)";
                case "double", "java.lang.Double" -> "a number";
                default -> "true or false";
            };
            throw new BadInputException(k + ": expected " + expected + ", got '" + text + "'");
        }
    }
}
