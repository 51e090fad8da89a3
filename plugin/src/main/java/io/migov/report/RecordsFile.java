package io.migov.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code migrations.jsonl}: one JSON object per line; a bad line is an error naming it. */
public final class RecordsFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordsFile() {
    }

    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not a JSON object");
                }
                if (node == null || !node.isObject() || !node.has("uuid")) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not a migration record (no 'uuid')");
                }
                out.add(node);
            }
        }
        return out;
    }
}
