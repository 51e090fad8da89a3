// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.migov.governor.MigrationRecord;
import io.migov.governor.MigrationRecordSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * A line left unfinished by a crash (no newline at the end of the file) is moved to
 * {@code migrations.jsonl.torn} before the next record is written: it is no record (readers would
 * reject the whole file for it), and it is kept there as evidence, never silently dropped.
 */
public final class JsonLinesRecordSink implements MigrationRecordSink {

    public static final String FILE_NAME = "migrations.jsonl";
    /** Where an unfinished line is moved (appended, one per line). */
    public static final String TORN_FILE_NAME = FILE_NAME + ".torn";
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesRecordSink.class);

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
        if (size > 0 && !endsWithNewline(file, size)) {
            size = moveTornLineAside(size);
        }
        long length = json.length + 1L;
        if (size > 0 && size + length > rotation.maxBytes()) {
            rotate();
        }
        ByteBuffer line = ByteBuffer.allocate(json.length + 1);
        line.put(json).put((byte) '\n').flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (line.hasRemaining()) {
                ch.write(line);
            }
            ch.force(true);
        }
    }

    /** How much of the end of the records (and of the last rotated file) {@link #contains} reads. */
    static final int CONTAINS_TAIL_BYTES = 1 << 20;

    /**
     * Whether a record of this migration id is among the last written (the last
     * {@link #CONTAINS_TAIL_BYTES} of the file, and of {@code .1} in case it rotated since): a daemon
     * killed after writing a record and before removing its journal finds it here at its restart,
     * among the last lines written, and does not write it twice. False when the files cannot be read.
     */
    public synchronized boolean contains(String migrationId) {
        String needle = "\"migration_id\":\"" + migrationId + "\"";
        for (Path p : new Path[] {file, rotated(1)}) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                long size = ch.size();
                long from = Math.max(0, size - CONTAINS_TAIL_BYTES);
                ByteBuffer tail = ByteBuffer.allocate((int) (size - from));
                while (tail.hasRemaining() && ch.read(tail, from + tail.position()) > 0) {
                    // read the tail
                }
                if (new String(tail.array(), 0, tail.position(), java.nio.charset.StandardCharsets.UTF_8).contains(needle)) {
                    return true;
                }
            } catch (NoSuchFileException e) {
                // not written yet, or not rotated yet
            } catch (IOException e) {
                LOG.warn("{}: cannot look for migration {} ({})", p, migrationId, e.getMessage());
            }
        }
        return false;
    }

    /**
     * Appends the file's unfinished last line to {@link #TORN_FILE_NAME} (synced), then cuts it from
     * the file; returns the new size. In that order, so a crash in between duplicates the fragment in
     * the side file at worst and never loses it.
     */
    private long moveTornLineAside(long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long start = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (start > 0) {
                one.clear();
                if (ch.read(one, start - 1) != 1 || one.get(0) == '\n') {
                    break;
                }
                start--;
            }
            ByteBuffer torn = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 1, size - start) + 1);
            while (torn.remaining() > 1 && ch.read(torn, start + torn.position()) > 0) {
                // read the fragment
            }
            torn.put((byte) '\n').flip();
            Path side = dir.resolve(TORN_FILE_NAME);
            try (FileChannel out = FileChannel.open(side, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                while (torn.hasRemaining()) {
                    out.write(torn);
                }
                out.force(true);
            }
            ch.truncate(start);
            ch.force(true);
            LOG.warn("{}: an unfinished record line ({} bytes, left by a crash while it was written) moved to {}",
                    file, size - start, side);
            return start;
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
