// SPDX-License-Identifier: Apache-2.0
package io.migov.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a {@link Sample} to a workload state index.
 *
 * <p>Each modelled resource has ascending thresholds; its level is the number of thresholds t with
 * value ≥ t. The state index is the mixed-radix number of the levels, the first resource most
 * significant. With the default scheme (cpu, mem, net_in, net_out; thresholds 25 and 50) that is
 * {@code cpu·27 + mem·9 + in·3 + out}, 81 states. Immutable and thread-safe.
 */
public final class Discretiser {

    private static final String[] THREE_LEVEL_NAMES = {"low", "moderate", "high"};
    private static final String[] TWO_LEVEL_NAMES = {"low", "high"};

    private final Resource[] resources;
    private final double[][] thresholds;
    /** Place value of each resource's level in the state index. */
    private final int[] radix;
    private final int[] levelIndexOf = new int[Resource.values().length];
    private final int stateCount;

    private Discretiser(Map<Resource, double[]> scheme) {
        if (scheme.isEmpty()) {
            throw new IllegalArgumentException("resources: at least one resource must be modelled");
        }
        resources = scheme.keySet().toArray(new Resource[0]);
        thresholds = new double[resources.length][];
        Arrays.fill(levelIndexOf, -1);
        long states = 1;
        for (int r = 0; r < resources.length; r++) {
            double[] t = scheme.get(resources[r]).clone();
            validateThresholds(resources[r], t);
            thresholds[r] = t;
            levelIndexOf[resources[r].ordinal()] = r;
            states *= t.length + 1;
            if (states > 1_000_000) {
                throw new IllegalArgumentException("thresholds: the scheme has more than 1000000 states");
            }
        }
        stateCount = (int) states;
        radix = new int[resources.length];
        int place = 1;
        for (int r = resources.length - 1; r >= 0; r--) {
            radix[r] = place;
            place *= thresholds[r].length + 1;
        }
    }

    /** The research design's scheme: cpu, mem, net_in, net_out with thresholds 25 and 50 (81 states). */
    public static Discretiser defaultScheme() {
        return builder().threshold(Resource.CPU, 25, 50).threshold(Resource.MEMORY, 25, 50)
                .threshold(Resource.NET_IN, 25, 50).threshold(Resource.NET_OUT, 25, 50).build();
    }

    /** A state space's resources, each with the given thresholds. */
    public static Discretiser of(StateSpace space, double... thresholds) {
        Builder b = builder();
        for (Resource r : space.resources()) {
            b.threshold(r, thresholds);
        }
        return b.build();
    }

    /** The research's resources (cpu, mem, net_in, net_out) with the given thresholds for each of them. */
    public static Discretiser withThresholds(double... thresholds) {
        return of(StateSpace.USAGE, thresholds);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void validateThresholds(Resource resource, double[] t) {
        String field = "thresholds." + resource.fieldName();
        if (t.length == 0) {
            throw new IllegalArgumentException(field + ": at least one threshold is required");
        }
        for (int i = 0; i < t.length; i++) {
            if (Double.isNaN(t[i]) || t[i] <= 0.0 || t[i] > 100.0) {
                throw new IllegalArgumentException(field + "[" + i + "]: expected a percentage in (0, 100], got " + t[i]);
            }
            if (i > 0 && t[i] <= t[i - 1]) {
                throw new IllegalArgumentException(field + ": thresholds must be strictly ascending, got "
                        + t[i - 1] + " then " + t[i]);
            }
        }
    }

    public int stateCount() {
        return stateCount;
    }

    public List<Resource> resources() {
        return List.of(resources);
    }

    public boolean models(Resource resource) {
        return levelIndexOf[resource.ordinal()] >= 0;
    }

    public double[] thresholds(Resource resource) {
        return thresholds[requireModelled(resource)].clone();
    }

    /** Number of levels of a modelled resource (thresholds + 1). */
    public int levels(Resource resource) {
        return thresholds[requireModelled(resource)].length + 1;
    }

    /** Highest level index of a modelled resource. */
    public int topLevel(Resource resource) {
        return levels(resource) - 1;
    }

    public int level(Resource resource, double percent) {
        Sample.requirePercent(resource, percent);
        double[] t = thresholds[requireModelled(resource)];
        int level = 0;
        while (level < t.length && percent >= t[level]) {
            level++;
        }
        return level;
    }

    public int stateOf(Sample sample) {
        int state = 0;
        for (int r = 0; r < resources.length; r++) {
            state += level(resources[r], sample.percent(resources[r])) * radix[r];
        }
        return state;
    }

    /** Level of {@code resource} in {@code state}, or -1 when the resource is not modelled. */
    public int levelOf(int state, Resource resource) {
        requireState(state);
        int r = levelIndexOf[resource.ordinal()];
        if (r < 0) {
            return -1;
        }
        return (state / radix[r]) % (thresholds[r].length + 1);
    }

    /** Human-readable levels, e.g. {@code cpu=high,mem=high,net_in=low,net_out=low}. */
    public String describe(int state) {
        requireState(state);
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < resources.length; r++) {
            if (r > 0) {
                sb.append(',');
            }
            sb.append(resources[r].fieldName()).append('=').append(levelName(resources[r], levelOf(state, resources[r])));
        }
        return sb.toString();
    }

    public String levelName(Resource resource, int level) {
        int levels = levels(resource);
        if (level < 0 || level >= levels) {
            throw new IllegalArgumentException("level: expected 0.." + (levels - 1) + " for " + resource.fieldName() + ", got " + level);
        }
        if (levels == 3) {
            return THREE_LEVEL_NAMES[level];
        }
        if (levels == 2) {
            return TWO_LEVEL_NAMES[level];
        }
        return "L" + level;
    }

    public void requireState(int state) {
        if (state < 0 || state >= stateCount) {
            throw new IllegalArgumentException("state: expected 0.." + (stateCount - 1) + ", got " + state);
        }
    }

    private int requireModelled(Resource resource) {
        int r = levelIndexOf[resource.ordinal()];
        if (r < 0) {
            throw new IllegalArgumentException("resource: " + resource.fieldName() + " is not modelled by this scheme");
        }
        return r;
    }

    /** A description of the scheme, e.g. for logs: {@code cpu[25,50] mem[25,50] ...}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int r = 0; r < resources.length; r++) {
            StringBuilder sb = new StringBuilder(resources[r].fieldName()).append('[');
            for (int i = 0; i < thresholds[r].length; i++) {
                sb.append(i > 0 ? "," : "").append(formatThreshold(thresholds[r][i]));
            }
            parts.add(sb.append(']').toString());
        }
        return String.join(" ", parts) + " (" + stateCount + " states)";
    }

    private static String formatThreshold(double t) {
        return t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
    }

    /** Resources in the order added; the first is the most significant digit of the state index. */
    public static final class Builder {
        private final Map<Resource, double[]> scheme = new LinkedHashMap<>();

        public Builder threshold(Resource resource, double... thresholds) {
            if (scheme.containsKey(resource)) {
                throw new IllegalArgumentException("resources: " + resource.fieldName() + " given twice");
            }
            scheme.put(resource, thresholds.clone());
            return this;
        }

        public Discretiser build() {
            return new Discretiser(new LinkedHashMap<>(scheme));
        }
    }

    /** Levels of every modelled resource of a state, keyed by resource. */
    public Map<Resource, Integer> levelsOf(int state) {
        Map<Resource, Integer> levels = new EnumMap<>(Resource.class);
        for (Resource r : resources) {
            levels.put(r, levelOf(state, r));
        }
        return levels;
    }
}
