// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.governor.JournalCodec;
import io.migov.governor.JournalEntry;
import io.migov.governor.MigrationJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * In-flight journals as {@code <stateDir>/inflight/<uuid>.jsonl} (directory 0750, files 0640, like
 * the model checkpoints): one JSON line per entry, each written whole with one {@code write(2)} on
 * an append-only channel. A killed process loses nothing it wrote (the page cache has it); durable
 * entries are fsynced too, against a host crash. A last line without its newline was cut short by a
 * crash and is left out when read; a line in the middle that does not decode makes the journal
 * unreadable (reported as empty, so it is dropped rather than replayed wrong).
 */
public final class FileMigrationJournal implements MigrationJournal {

    private static final Logger LOG = LoggerFactory.getLogger(FileMigrationJournal.class);
    private static final String SUFFIX = ".jsonl";
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r-----");

    private final Path dir;

    /** Uses (and creates, 0750) {@code <stateDir>/inflight}. */
    public FileMigrationJournal(Path stateDir) throws IOException {
        this.dir = stateDir.resolve("inflight");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (posix()) {
                Files.setPosixFilePermissions(dir, FileModelStore.DIR_PERMISSIONS); // 0750 whatever the umask
            }
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void begin(String uuid, JournalEntry.Header header) throws IOException {
        Path file = fileOf(uuid);
        Files.deleteIfExists(file);
        Files.createFile(file);
        if (posix()) {
            Files.setPosixFilePermissions(file, FILE_PERMISSIONS);
        }
        write(file, header, true);
        FileModelStore.syncDirectory(dir); // the new file's name is durable too
    }

    @Override
    public void append(String uuid, JournalEntry entry, boolean durable) throws IOException {
        Path file = fileOf(uuid);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no journal begun for this VM");
        }
        write(file, entry, durable);
    }

    private static void write(Path file, JournalEntry entry, boolean durable) throws IOException {
        byte[] json = JournalCodec.encode(entry).getBytes(StandardCharsets.UTF_8);
        ByteBuffer line = ByteBuffer.allocate(json.length + 1);
        line.put(json).put((byte) '\n').flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (line.hasRemaining()) {
                ch.write(line);
            }
            if (durable) {
                ch.force(false);
            }
        }
    }

    @Override
    public Map<String, List<JournalEntry>> loadAll() throws IOException {
        Map<String, List<JournalEntry>> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                String uuid = name.substring(0, name.length() - SUFFIX.length());
                if (!FileModelStore.UUID.matcher(uuid).matches()) {
                    LOG.warn("{}: not a journal of migov's (the name is no domain UUID); left alone", p);
                    continue;
                }
                out.put(uuid, read(p));
            }
        }
        return out;
    }

    private static List<JournalEntry> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1;
        if (end < text.length()) {
            LOG.warn("{}: the last line ({} bytes) was cut short by a crash while it was written: left out", file, text.length() - end);
        }
        List<JournalEntry> entries = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.substring(0, end).split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(JournalCodec.decode(line));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: line {}: {}: the journal is not replayed", file, lineNo, e.getMessage());
                return List.of();
            }
        }
        return entries;
    }

    @Override
    public void delete(String uuid) throws IOException {
        if (Files.deleteIfExists(fileOf(uuid))) {
            FileModelStore.syncDirectory(dir);
        }
    }

    private Path fileOf(String uuid) {
        return dir.resolve(FileModelStore.checkUuid(uuid) + SUFFIX);
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
