// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.daemon.management.ManagementPlane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.RuntimeMBeanException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code migov reset-model VM}: forgets what the VM's model learned. */
@Command(name = "reset-model", mixinStandardHelpOptions = true,
        description = "Reset a VM's model: it forgets what it learned and starts again from the host's prior.")
final class ResetModelCommand extends ManagementCommand {

    @Parameters(index = "0", paramLabel = "VM", description = "The VM's (libvirt domain's) name.")
    String name;

    @Override
    int run(String target) throws IOException, JMException {
        daemonMBean(ManagementPlane.STATE);
        String result;
        try {
            result = (String) mbeans.invoke(VmCommand.vmName(name), "resetModel", new Object[0], new String[0]);
        } catch (InstanceNotFoundException e) {
            throw new BadInputException("no VM named '" + name + "' on this daemon (migov vms lists them)");
        } catch (MBeanException | RuntimeMBeanException e) {
            throw new BadInputException("rejected: " + rejection(e));
        }
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("vm", name);
            out.put("result", result);
            printJson(out);
        } else {
            print(result + "\n");
        }
        return 0;
    }
}
