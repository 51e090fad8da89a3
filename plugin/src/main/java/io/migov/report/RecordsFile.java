// SPDX-License-Identifier: Apache-2.0
package io.migov.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code migrations.jsonl}: one JSON object per line; a bad line is an
 * {@link IllegalArgumentException} {@code <file>:<line>: <problem>, got <the line>} and nothing is
 * returned.
 */
public final class RecordsFile {

    /** A key twice or anything after the object makes a line malformed, as in the daemon's own files. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final int SHOWN = 120;

    private RecordsFile() {
    }

    public static List<JsonNode> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<JsonNode> out = new ArrayList<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int lineNo = 0;
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            String line;
            try {
                line = utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": not UTF-8 text, got "
                        + shown(new String(bytes, start, end - start, StandardCharsets.UTF_8)));
            }
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": not a JSON object (" + e.getOriginalMessage().lines().findFirst()
                        .orElse("") + "), got " + shown(line));
            }
            if (node == null || !node.isObject() || !node.has("uuid")) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": not a migration record (no 'uuid'), got " + shown(line));
            }
            out.add(node);
        }
        return out;
    }

    /** The line for a message: quoted, control characters escaped, at most {@value #SHOWN} characters. */
    private static String shown(String line) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < line.length() && i < SHOWN; i++) {
            char c = line.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append(line.length() > SHOWN ? "'… (" + line.length() + " characters)" : "'").toString();
    }
}
