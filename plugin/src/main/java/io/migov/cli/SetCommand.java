// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.management.ManagementPlane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.RuntimeMBeanException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code migov set NAME VALUE}: changes a runtime-mutable setting; effective at the next tick. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Change a runtime-mutable setting of the running daemon (effective at its next tick, lost at restart).",
                "The daemon validates it like the config file; a rejected value changes nothing and exits 2."})
final class SetCommand extends ManagementCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "A runtime-mutable setting, e.g. lookAhead or mode.")
    String name;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The new value, in the setting's unit (docs/configuration.md).")
    String value;

    @Override
    int run(String target) throws IOException, JMException {
        MBeanInfo info = daemonMBean(ManagementPlane.TUNABLES);
        MBeanAttributeInfo a = GetCommand.find(info, name);
        String k = key(a.getName());
        if (!a.isWritable()) {
            throw new BadInputException(k + " is startup-only (read-only while the daemon runs): change the config file and restart");
        }
        Object converted = GetCommand.convert(a, value);
        Object before = mbeans.getAttribute(ManagementPlane.TUNABLES, a.getName());
        try {
            mbeans.setAttribute(ManagementPlane.TUNABLES, new Attribute(a.getName(), converted));
        } catch (MBeanException | RuntimeMBeanException e) {
            throw new BadInputException("rejected: " + rejection(e));
        }
        Object after = mbeans.getAttribute(ManagementPlane.TUNABLES, a.getName());
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("setting", k);
            out.put("old", before);
            out.put("new", after);
            printJson(out);
        } else {
            print(k + ": " + TextTable.cell(before) + " → " + TextTable.cell(after) + "\n");
        }
        return 0;
    }
}
