// SPDX-License-Identifier: Apache-2.0
package io.migov.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.testbed.Lab;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon ITs share: the VMs and migov daemons a test starts, each stopped after the test
 * whatever happened, named after the test so that their logs can be found.
 */
final class LabRig {

    final Lab lab;
    private final List<String> vms = new ArrayList<>();
    private final List<MigovDaemon> daemons = new ArrayList<>();
    private String testName = "test";

    LabRig(Lab lab) {
        this.lab = lab;
    }

    void begin(TestInfo info) {
        testName = info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
    }

    void end() {
        for (MigovDaemon d : daemons) {
            d.close();
        }
        daemons.clear();
        for (String vm : vms) {
            lab.run(Duration.ofMinutes(1), "vm", "stop", vm);
        }
        vms.clear();
    }

    /** A daemon for {@code host}; {@code config} (may be null) overrides the defaults. */
    MigovDaemon daemon(String host, String mode, ObjectNode config) throws Exception {
        MigovDaemon d = MigovDaemon.start(host, mode, testName, config);
        daemons.add(d);
        return d;
    }

    /** SIGKILLs a daemon and starts it again on the same state dir (see {@link MigovDaemon#killAndRestart}). */
    MigovDaemon killAndRestart(MigovDaemon d) throws Exception {
        return killAndRestart(d, Duration.ZERO);
    }

    /** As {@link #killAndRestart(MigovDaemon)}, no daemon running for {@code gap}. */
    MigovDaemon killAndRestart(MigovDaemon d, Duration gap) throws Exception {
        daemons.remove(d);
        MigovDaemon restarted = d.killAndRestart(gap);
        daemons.add(restarted);
        return restarted;
    }

    void stop(MigovDaemon d) {
        d.close();
        daemons.remove(d);
    }

    String vm(String name, String workload) {
        return vm(name, workload, 512);
    }

    String vm(String name, String workload, int memoryMiB) {
        vms.add(name);
        lab.startVm(name, Lab.HOST_A, workload, memoryMiB);
        return name;
    }

    /** A VM the test starts itself (other options): stopped after the test like the others. */
    String adopt(String name) {
        vms.add(name);
        return name;
    }

    /** Lets the daemon profile the VM for a while, so that its state and model are the workload's. */
    static void profile(MigovDaemon d, String vm, int samples) {
        d.awaitLog(l -> l.contains(vm + " (") && l.contains("profiling"), Duration.ofSeconds(30));
        MigovDaemon.sleep(samples * 1000L + 1500);
    }
}
