// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.storage.HysteresisSettings;
import io.migov.core.storage.InterferenceModel;
import io.migov.core.storage.PidSettings;
import io.migov.core.storage.PrefetchSettings;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The runtime-mutable tunables of storage-migration steering (issue 11): which interference model
 * classifies the host's I/O, when its probability switches "interference" on and off, how the
 * interference-PID drives the disk copy's speed and how far the prefetcher reads ahead. They only
 * act when the daemon collects host I/O ({@code storageDevice}); otherwise nothing reads them.
 *
 * @param interferenceModel the model file ({@code migov train --out}) as configured; "" = the research's coefficients
 * @param model             the model that file holds (or {@link InterferenceModel#RESEARCH_DEFAULT})
 * @param hysteresis        the four on/off thresholds and durations
 * @param pid               gains, threshold and speed range of the interference-PID
 * @param prefetch          prefetch factor and memory cap
 */
public record StorageSettings(String interferenceModel, InterferenceModel model, HysteresisSettings hysteresis, PidSettings pid,
                              PrefetchSettings prefetch) {

    public static final StorageSettings DEFAULTS = new StorageSettings("", InterferenceModel.RESEARCH_DEFAULT,
            HysteresisSettings.DEFAULTS, PidSettings.DEFAULTS, PrefetchSettings.DEFAULTS);

    /**
     * The core records name their own fields; the configuration's keys are longer (one flat
     * namespace), so a message says the key the operator has to change.
     */
    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("onProbability", "interferenceOnProbability"),
            Map.entry("onSeconds", "interferenceOnSeconds"),
            Map.entry("offProbability", "interferenceOffProbability"),
            Map.entry("offSeconds", "interferenceOffSeconds"),
            Map.entry("kpBytesPerSecond", "storageKpBytesPerSecond"),
            Map.entry("kiBytesPerSecondSquared", "storageKiBytesPerSecondSquared"),
            Map.entry("kdBytes", "storageKdBytes"),
            Map.entry("thresholdProbability", "interferenceThresholdProbability"),
            Map.entry("minBytesPerSecond", "storageMinBytesPerSecond"),
            Map.entry("maxBytesPerSecond", "storageMaxBytesPerSecond"),
            Map.entry("prefetchFactor", "prefetchFactor"),
            Map.entry("memoryCapBytes", "prefetchMemoryCapBytes"));

    public StorageSettings {
        Objects.requireNonNull(interferenceModel, "interferenceModel");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(hysteresis, "hysteresis");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(prefetch, "prefetch");
    }

    /** Fastest copy speed a setting may give: 1 TB/s, far above any disk, and exact as a double. */
    public static final long MAX_SPEED_BYTES_PER_SECOND = 1_000_000_000_000L;

    /**
     * The PID settings with a new speed range, the bounds checked on the whole numbers given (so a
     * message shows the value as given); when min exceeds max the message names the key that was
     * changed ({@code minChanged}).
     */
    public static PidSettings withSpeeds(PidSettings p, long minBytesPerSecond, long maxBytesPerSecond, boolean minChanged) {
        if (minBytesPerSecond < 1 || minBytesPerSecond > MAX_SPEED_BYTES_PER_SECOND) {
            throw new IllegalArgumentException("storageMinBytesPerSecond: expected 1.." + MAX_SPEED_BYTES_PER_SECOND + ", got "
                    + minBytesPerSecond);
        }
        if (maxBytesPerSecond < 1 || maxBytesPerSecond > MAX_SPEED_BYTES_PER_SECOND) {
            throw new IllegalArgumentException("storageMaxBytesPerSecond: expected 1.." + MAX_SPEED_BYTES_PER_SECOND + ", got "
                    + maxBytesPerSecond);
        }
        if (minBytesPerSecond > maxBytesPerSecond) {
            throw new IllegalArgumentException(minChanged
                    ? "storageMinBytesPerSecond: expected ≤ storageMaxBytesPerSecond (" + maxBytesPerSecond + "), got " + minBytesPerSecond
                    : "storageMaxBytesPerSecond: expected ≥ storageMinBytesPerSecond (" + minBytesPerSecond + "), got " + maxBytesPerSecond);
        }
        return keyed(() -> new PidSettings(p.kpBytesPerSecond(), p.kiBytesPerSecondSquared(), p.kdBytes(), p.thresholdProbability(),
                minBytesPerSecond, maxBytesPerSecond));
    }

    /**
     * The hysteresis settings, validated by the core record; when the on probability is not above
     * the off one, the message names the key that was changed ({@code onChanged}).
     */
    public static HysteresisSettings hysteresis(double onProbability, int onSeconds, double offProbability, int offSeconds,
                                                boolean onChanged) {
        try {
            return keyed(() -> new HysteresisSettings(onProbability, onSeconds, offProbability, offSeconds));
        } catch (IllegalArgumentException e) {
            if (onChanged && e.getMessage() != null && e.getMessage().startsWith("interferenceOffProbability: expected < ")) {
                throw new IllegalArgumentException("interferenceOnProbability: expected > interferenceOffProbability (" + offProbability
                        + "), got " + onProbability, e);
            }
            throw e;
        }
    }

    /** Builds a core record; its validation message names the config key instead of the record's field. */
    public static <T> T keyed(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(toKeys(e.getMessage()), e);
        }
    }

    static String toKeys(String message) {
        if (message == null) {
            return "storage settings: invalid value";
        }
        String out = message;
        for (Map.Entry<String, String> k : KEYS.entrySet()) {
            if (!k.getKey().equals(k.getValue())) {
                out = out.replaceAll("\\b" + k.getKey() + "\\b", k.getValue());
            }
        }
        return out;
    }

    public StorageSettings withModel(String newInterferenceModel, InterferenceModel newModel) {
        return new StorageSettings(newInterferenceModel, newModel, hysteresis, pid, prefetch);
    }

    public StorageSettings withHysteresis(HysteresisSettings newHysteresis) {
        return new StorageSettings(interferenceModel, model, newHysteresis, pid, prefetch);
    }

    public StorageSettings withPid(PidSettings newPid) {
        return new StorageSettings(interferenceModel, model, hysteresis, newPid, prefetch);
    }

    public StorageSettings withPrefetch(PrefetchSettings newPrefetch) {
        return new StorageSettings(interferenceModel, model, hysteresis, pid, newPrefetch);
    }
}
