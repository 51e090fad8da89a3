// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** A journal entry as one line of JSON (keys in snake_case, as the records), and back. */
public final class JournalCodec {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // a newer daemon's extra keys must not make an older one drop the journal
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JournalCodec() {
    }

    /** One line of JSON, without the newline. */
    public static String encode(JournalEntry entry) {
        try {
            return JSON.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("journal entry not serialisable: " + entry, e);
        }
    }

    /** The entry a line holds; IllegalArgumentException naming what is wrong otherwise. */
    public static JournalEntry decode(String line) {
        try {
            return JSON.readValue(line, JournalEntry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("journal line: not an entry (" + e.getOriginalMessage() + "): "
                    + (line.length() > 120 ? line.substring(0, 120) + "…" : line));
        }
    }
}
