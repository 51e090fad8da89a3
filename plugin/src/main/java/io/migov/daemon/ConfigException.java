// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

/**
 * A configuration the daemon refuses to start with: a config file, a command-line override or the
 * state dir. The message is one line, {@code config: <key>: <problem>, got <value>}; the CLI prints
 * it and exits with code 2.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(oneLine(message));
    }

    /**
     * The message as one line: a value with line breaks or other control characters (a JSON string
     * may hold any) shows them escaped (a backslash and n, t, r, or u and four hex digits)
     * instead of breaking the line.
     */
    public static String oneLine(String message) {
        if (message == null || message.chars().noneMatch(Character::isISOControl)) {
            return message;
        }
        StringBuilder sb = new StringBuilder(message.length() + 8);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(Character.isISOControl(c) ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c) : c);
            }
        }
        return sb.toString();
    }

    /** {@code config: <key>: <problem>, got <value>}. */
    static ConfigException of(String key, String problem, String value) {
        return new ConfigException("config: " + key + ": " + problem + ", got " + value);
    }

    /**
     * Maps a core validation failure ({@code <field>: <problem>, got <value>}, where the field is the
     * config key) to the config message; {@code value} is added when the core message has no "got".
     */
    static ConfigException fromValidation(IllegalArgumentException e, String value) {
        String message = e.getMessage() == null ? "invalid value" : e.getMessage();
        if (!message.contains(", got ")) {
            message += ", got " + value;
        }
        return new ConfigException("config: " + message);
    }
}
