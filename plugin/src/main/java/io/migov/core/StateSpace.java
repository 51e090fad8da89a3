// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.List;

/**
 * Which resources make up a VM's state (most significant first). The research's space describes how
 * much memory a guest <em>holds</em>; what decides a migration is how fast it <em>writes</em>
 * (pre-copy converges when the dirty rate stays below the bandwidth, however much memory is in use),
 * so write intensity can replace memory use or sit beside it.
 */
public enum StateSpace {
    /** The research's space: cpu, mem, net_in, net_out (81 states with two thresholds each). */
    USAGE("usage", List.of(Resource.CPU, Resource.MEMORY, Resource.NET_IN, Resource.NET_OUT)),
    /** Write intensity in place of memory use: cpu, write, net_in, net_out (81 states). */
    WRITE("write", List.of(Resource.CPU, Resource.WRITE, Resource.NET_IN, Resource.NET_OUT)),
    /** Both: cpu, mem, write, net_in, net_out (243 states). */
    USAGE_AND_WRITE("usage+write", List.of(Resource.CPU, Resource.MEMORY, Resource.WRITE, Resource.NET_IN, Resource.NET_OUT));

    private final String configName;
    private final List<Resource> resources;

    StateSpace(String configName, List<Resource> resources) {
        this.configName = configName;
        this.resources = resources;
    }

    /** The name in configuration, JMX and records: {@code usage}, {@code write}, {@code usage+write}. */
    public String configName() {
        return configName;
    }

    /** The resources of this space, most significant digit of the state index first. */
    public List<Resource> resources() {
        return resources;
    }

    public static StateSpace fromConfigName(String name) {
        for (StateSpace s : values()) {
            if (s.configName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("stateSpace: expected one of usage, write, usage+write, got '" + name + "'");
    }

    @Override
    public String toString() {
        return configName;
    }
}
