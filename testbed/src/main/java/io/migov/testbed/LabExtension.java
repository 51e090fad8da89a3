// SPDX-License-Identifier: Apache-2.0
package io.migov.testbed;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Brings the lab up once per test run (the first test class that asks) and down when the run ends;
 * injects {@link Lab} into test constructors and methods. Not root → the tests fail with a clear
 * message, they are never silently skipped.
 */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        lab(context);
    }

    private static Lab lab(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("lab", k -> new RunningLab(), RunningLab.class).lab;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return lab(extensionContext);
    }

    /** The lab for the whole run; JUnit closes it after the last test. */
    static final class RunningLab implements ExtensionContext.Store.CloseableResource {
        final Lab lab = Lab.fromSystemProperty();

        RunningLab() {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new IllegalStateException("the lab ITs need root (network namespaces, libvirtd); user is "
                        + System.getProperty("user.name"));
            }
            lab.up();
        }

        @Override
        public void close() {
            if (!Boolean.getBoolean("migov.lab.keep")) {
                lab.down();
            }
        }
    }
}
