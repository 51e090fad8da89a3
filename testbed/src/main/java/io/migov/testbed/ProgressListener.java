// SPDX-License-Identifier: Apache-2.0
package io.migov.testbed;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A line when each lab test (a class named {@code *IT}) starts and one when it ends, with its
 * duration: a lab test runs for a minute or more, and a person watching {@code testbed/lab test}
 * should see which one. Unit tests stay quiet (Maven reports them per class). Registered through
 * {@code META-INF/services}, so every module with this one on its test classpath gets it.
 */
public final class ProgressListener implements TestExecutionListener {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    @Override
    public void executionStarted(TestIdentifier test) {
        String name = labTestName(test);
        if (name != null) {
            started.put(test.getUniqueId(), System.nanoTime());
            print("lab test " + name + ": started");
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        String name = labTestName(test);
        Long t0 = started.remove(test.getUniqueId());
        if (name != null && t0 != null) {
            print(String.format("lab test %s: %s in %.0f s", name, result.getStatus().name().toLowerCase(java.util.Locale.ROOT),
                    (System.nanoTime() - t0) / 1e9));
        }
    }

    /** {@code GovernorIT.idleVm_…} for a test method of an *IT class, else null. */
    static String labTestName(TestIdentifier test) {
        if (!test.isTest() || !(test.getSource().orElse(null) instanceof MethodSource m)) {
            return null;
        }
        String cls = m.getClassName();
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return simple.endsWith("IT") ? simple + "." + m.getMethodName() : null;
    }

    private static void print(String line) {
        System.out.println("[" + LocalTime.now().format(CLOCK) + "] " + line);
        System.out.flush();
    }
}
