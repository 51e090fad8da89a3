// SPDX-License-Identifier: Apache-2.0
package io.migov.jmx;

import java.lang.management.ManagementFactory;

/** A JVM for the attach test: exports {@link SampleBean}, says "ready", lives until killed. */
public final class AttachTarget {
    private AttachTarget() {
    }

    public static void main(String[] args) throws Exception {
        new ManagedExports(ManagementFactory.getPlatformMBeanServer()).export(MBeanNames.of("Sample"), new SampleBean());
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
