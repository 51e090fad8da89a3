// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.governor.ModelStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Model checkpoints as {@code <stateDir>/models/<uuid>.json}. A save writes a temporary file in the
 * same directory, fsyncs it, renames it over the checkpoint atomically and fsyncs the directory, so
 * after a crash a checkpoint is the old one or the new one, whole. UUIDs are checked to be libvirt's
 * lower-case dashed form, so a name can never leave the directory.
 */
public final class FileModelStore implements ModelStore {

    /** libvirt's UUID string form: 8-4-4-4-12 lower-case hex digits. */
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String TEMP_SUFFIX = ".tmp";
    static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r-----");

    private final Path dir;

    /** Uses (and creates, 0750) {@code <stateDir>/models}; removes temporary files left by a crash. */
    public FileModelStore(Path stateDir) throws IOException {
        this.dir = stateDir.resolve("models");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, posix(DIR_PERMISSIONS));
            if (dirIsPosix()) {
                Files.setPosixFilePermissions(dir, DIR_PERMISSIONS); // 0750 whatever the umask
            }
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Optional<String> load(String uuid) throws IOException {
        Path file = fileOf(uuid);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void save(String uuid, String modelJson) throws IOException {
        Path target = fileOf(uuid);
        Path temp = Files.createTempFile(dir, "." + uuid + ".", TEMP_SUFFIX, posix(FILE_PERMISSIONS));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(modelJson.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private Path fileOf(String uuid) {
        return dir.resolve(checkUuid(uuid) + ".json");
    }

    /** {@code uuid} if it is libvirt's UUID string form, else an error naming it (a file name is made of it). */
    static String checkUuid(String uuid) {
        if (uuid == null || !UUID.matcher(uuid).matches()) {
            throw new IllegalArgumentException("uuid: expected a lower-case UUID (8-4-4-4-12 hex digits), got '" + uuid + "'");
        }
        return uuid;
    }

    /** fsync of a directory, so that a rename in it is durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static FileAttribute<?>[] posix(Set<PosixFilePermission> permissions) {
        if (dirIsPosix()) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        }
        return new FileAttribute<?>[0];
    }

    private static boolean dirIsPosix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
