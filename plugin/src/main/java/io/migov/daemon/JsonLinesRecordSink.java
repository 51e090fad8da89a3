// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.migov.governor.MigrationRecord;
import io.migov.governor.MigrationRecordSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * {@code <stateDir>/migrations.jsonl}: one JSON object per finished migration, keys in snake_case
 * ({@code vm}, {@code uuid}, {@code strategy}, {@code action}, {@code action_iteration}, …), each line
 * fsynced. Before a record would take the file past {@link RecordRotation#maxBytes()} it is rotated:
 * {@code migrations.jsonl} → {@code .1} → {@code .2} …, keeping {@link RecordRotation#keepFiles()}.
 * A line left unfinished by a crash is closed before the next record, so it never swallows one.
 */
public final class JsonLinesRecordSink implements MigrationRecordSink {

    public static final String FILE_NAME = "migrations.jsonl";

    /** The mapper of the record format; shared with tests and tools that read the file. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path dir;
    private final Path file;
    private final RecordRotation rotation;

    public JsonLinesRecordSink(Path stateDir, RecordRotation rotation) {
        this.dir = Objects.requireNonNull(stateDir, "stateDir");
        this.file = stateDir.resolve(FILE_NAME);
        this.rotation = Objects.requireNonNull(rotation, "rotation");
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void write(MigrationRecord record) throws IOException {
        byte[] json = JSON.writeValueAsBytes(record);
        long size = sizeOf(file);
        boolean closeLine = size > 0 && !endsWithNewline(file, size);
        long length = json.length + 1L + (closeLine ? 1 : 0);
        if (size > 0 && size + length > rotation.maxBytes()) {
            rotate();
            closeLine = false;
        }
        ByteBuffer line = ByteBuffer.allocate(json.length + 2);
        if (closeLine) {
            line.put((byte) '\n');
        }
        line.put(json).put((byte) '\n').flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (line.hasRemaining()) {
                ch.write(line);
            }
            ch.force(true);
        }
    }

    /** migrations.jsonl.(keep) is dropped, .i → .(i+1), the current file → .1. */
    private void rotate() throws IOException {
        int keep = rotation.keepFiles();
        if (keep == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
        }
        FileModelStore.syncDirectory(dir);
    }

    Path rotated(int generation) {
        return dir.resolve(FILE_NAME + "." + generation);
    }

    private static long sizeOf(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static boolean endsWithNewline(Path p, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return ch.read(last, size - 1) == 1 && last.get(0) == '\n';
        }
    }
}
