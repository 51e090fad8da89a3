// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.migov.jmx.OpenValues;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A command that talks to a running daemon over JMX. Exit codes: 0 done, 2 a value or name the
 * daemon rejected (or bad input), 3 the daemon cannot be reached.
 */
abstract class ManagementCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    JmxOptions jmx;

    @Spec
    CommandSpec spec;

    MBeanServerConnection mbeans;

    @Override
    public final Integer call() throws Exception {
        try (JmxOptions.Connection c = jmx.connect()) {
            mbeans = c.mbeans();
            return run(c.target());
        } catch (IOException e) {
            throw JmxOptions.unreachable(e);
        }
    }

    /** The command, connected. */
    abstract int run(String target) throws IOException, JMException;

    boolean json() {
        return jmx.json;
    }

    void print(String text) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
    }

    void printJson(Object value) {
        try {
            print(JSON.writeValueAsString(value) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The config-key style of an attribute name: {@code LookAhead} → {@code lookAhead}. */
    static String key(String attribute) {
        return attribute.isEmpty() ? attribute : Character.toLowerCase(attribute.charAt(0)) + attribute.substring(1);
    }

    /** Every readable attribute of an MBean, in its MBeanInfo's order, as plain Java values under config-style keys. */
    Map<String, Object> attributes(ObjectName name) throws IOException, JMException {
        MBeanAttributeInfo[] infos = daemonMBean(name).getAttributes();
        String[] names = new String[infos.length];
        for (int i = 0; i < infos.length; i++) {
            names[i] = infos[i].getName();
        }
        AttributeList values = mbeans.getAttributes(name, names);
        Map<String, Object> byName = new LinkedHashMap<>();
        for (Attribute a : values.asList()) {
            byName.put(a.getName(), OpenValues.toJava(a.getValue()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names) {
            if (byName.containsKey(n)) {
                out.put(key(n), byName.get(n));
            }
        }
        return out;
    }

    javax.management.MBeanInfo daemonMBean(ObjectName name) throws IOException, JMException {
        try {
            return mbeans.getMBeanInfo(name);
        } catch (InstanceNotFoundException e) {
            if (name.getKeyProperty("type").equals("Vm")) {
                throw e;
            }
            throw new UnreachableException("the JVM reached is not a migov daemon (it has no " + name + ")", e);
        }
    }

    /** The message of an exception an MBean setter or operation threw (IllegalArgumentException …). */
    static String rejection(Exception e) {
        Throwable t = e;
        if (e instanceof MBeanException m && m.getTargetException() != null) {
            t = m.getTargetException();
        } else if (e instanceof RuntimeMBeanException r && r.getTargetException() != null) {
            t = r.getTargetException();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
