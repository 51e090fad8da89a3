// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.governor.GovernorSettings;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one declaration of a configuration key ({@link Settings} lists them all): what the parser,
 * the validation messages, the tunables MBean and the table in {@code docs/configuration.md} are
 * derived from. The values themselves live in the validated records ({@link DaemonConfig},
 * {@link GovernorSettings} and theirs); a setting knows how to read itself from them and, when it
 * is runtime-mutable, how to make new settings with another value (validated by the records, so
 * the messages are theirs: {@code lookAhead: expected 1..1000, got 0}).
 *
 * @param <T> the value's Java type as the JSON file gives it ({@code Integer}, {@code Long},
 *            {@code Double}, {@code String}, {@code Boolean}, or {@code DaemonConfig.Thresholds})
 */
public final class Setting<T> {

    private final String key;
    private final Class<T> type;
    private final String unit;
    private final String defaultText;
    private final String bounds;
    private final String meaning;
    private final boolean nullable;
    private final Function<DaemonConfig, Object> current;
    private final Class<?> attributeType;
    private final Function<GovernorSettings, T> runtimeValue;
    private final BiFunction<GovernorSettings, T, GovernorSettings> with;

    private Setting(String key, Class<T> type, String unit, String defaultText, String bounds, String meaning, boolean nullable,
                    Function<DaemonConfig, Object> current, Class<?> attributeType, Function<GovernorSettings, T> runtimeValue,
                    BiFunction<GovernorSettings, T, GovernorSettings> with) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.meaning = Objects.requireNonNull(meaning, "meaning");
        this.nullable = nullable;
        this.current = Objects.requireNonNull(current, "current");
        this.attributeType = attributeType;
        this.runtimeValue = runtimeValue;
        this.with = with;
    }

    /** A runtime-mutable key: part of {@link GovernorSettings}, read and written through the tunables MBean. */
    static <T> Setting<T> runtime(String key, Class<T> type, String unit, String defaultText, String bounds, String meaning,
                                  Function<GovernorSettings, T> value, BiFunction<GovernorSettings, T, GovernorSettings> with) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(with, "with");
        return runtime(key, type, unit, defaultText, bounds, meaning, false, value, with);
    }

    /** A runtime-mutable key the file may give as JSON null (meaning: the default). */
    static <T> Setting<T> runtime(String key, Class<T> type, String unit, String defaultText, String bounds, String meaning,
                                  boolean nullable, Function<GovernorSettings, T> value,
                                  BiFunction<GovernorSettings, T, GovernorSettings> with) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(with, "with");
        return new Setting<>(key, type, unit, defaultText, bounds, meaning, nullable, c -> value.apply(c.settings()), type, value, with);
    }

    /**
     * A startup-only key, read once; {@code attributeType} non-null shows {@code current} as a
     * read-only attribute of that type on the tunables MBean.
     */
    static <T> Setting<T> startup(String key, Class<T> type, String unit, String defaultText, String bounds, String meaning,
                                  boolean nullable, Class<?> attributeType, Function<DaemonConfig, Object> current) {
        return new Setting<>(key, type, unit, defaultText, bounds, meaning, nullable, current, attributeType, null, null);
    }

    /** The config key, e.g. {@code lookAhead}. */
    public String key() {
        return key;
    }

    /** The JSON value's Java type. */
    public Class<T> type() {
        return type;
    }

    public String unit() {
        return unit;
    }

    /** The default as documented (markdown). */
    public String defaultText() {
        return defaultText;
    }

    /** The accepted values as documented (markdown); the records check them. */
    public String bounds() {
        return bounds;
    }

    /** What it means, one line of markdown. */
    public String meaning() {
        return meaning;
    }

    /** Whether the file may give JSON null (meaning: the default). */
    public boolean nullable() {
        return nullable;
    }

    public boolean runtimeMutable() {
        return with != null;
    }

    /** Whether the tunables MBean shows it (every runtime-mutable key does). */
    public boolean exposed() {
        return attributeType != null;
    }

    /** The tunables MBean's attribute: the key with a capital initial, e.g. {@code LookAhead}. */
    public String attributeName() {
        return Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    /** The attribute's Java type (a primitive's wrapper class or String); null when not {@link #exposed()}. */
    public Class<?> attributeType() {
        return attributeType;
    }

    /** The value in a whole configuration, as the attribute shows it (for comparisons and the MBean). */
    public Object current(DaemonConfig config) {
        return current.apply(config);
    }

    /** A runtime-mutable key's value in the settings the governor reads. */
    public T value(GovernorSettings settings) {
        requireRuntime();
        return runtimeValue.apply(settings);
    }

    /**
     * New settings: {@code base} with this key set to {@code value}, validated by the records
     * (an {@link IllegalArgumentException} naming the key when they refuse it).
     */
    public GovernorSettings with(GovernorSettings base, Object value) {
        requireRuntime();
        return with.apply(base, type.cast(value));
    }

    private void requireRuntime() {
        if (with == null) {
            throw new IllegalStateException(key + " is startup-only");
        }
    }

    /** The row of the table in {@code docs/configuration.md}. */
    public String markdownRow() {
        return "| `" + key + "` | " + meaning + " | " + unit + " | " + defaultText + " | " + bounds + " | "
                + (runtimeMutable() ? "runtime-mutable" : "startup-only") + " |";
    }

    /** The tunables MBean's description of the attribute: the documentation's row as one line of plain text. */
    public String description() {
        return key + " (" + (runtimeMutable() ? "runtime-mutable" : "startup-only") + "): " + plain(meaning)
                + ". Unit: " + plain(unit) + "; bounds: " + plain(bounds) + "; default: " + plain(defaultText);
    }

    /** Markdown to plain text: no backticks, links as their text. */
    public static String plain(String markdown) {
        return markdown.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
    }

    @Override
    public String toString() {
        return key;
    }
}
