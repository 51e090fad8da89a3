// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files of the bench commands: read or written whole; a missing, unreadable or unwritable path is
 * bad input naming the option.
 */
final class Outputs {

    private Outputs() {
    }

    static String readText(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(option + ": no such file: " + file);
        } catch (MalformedInputException e) {
            throw new BadInputException(option + " " + file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    static void write(Path file, String option, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(option + ": cannot write " + file + ": " + e.getMessage());
        }
    }

    /** What writes a file's content. */
    interface Content {
        void writeTo(Writer w) throws IOException;
    }

    /**
     * The directory of an output file that is to replace {@code out} whole; fails (naming
     * {@code --out}) before any input is read when it cannot be written.
     */
    static Path replaceableTarget(Path out) {
        Path target = out.toAbsolutePath().normalize();
        Path directory = target.getParent();
        if (directory == null || target.getFileName() == null) {
            throw new BadInputException("--out: not a file path: " + out);
        }
        if (Files.isDirectory(target)) {
            throw new BadInputException("--out: is a directory: " + out);
        }
        if (!Files.isDirectory(directory)) {
            throw new BadInputException("--out: no such directory: " + directory);
        }
        if (!Files.isWritable(directory)) {
            throw new BadInputException("--out: directory not writable: " + directory);
        }
        return directory;
    }

    /**
     * Writes a temporary file next to {@code out} and moves it over {@code out} in one rename, so a
     * reader sees the old file or the new one, never half of one.
     */
    static void replaceAtomically(Path out, Content content) {
        Path target = out.toAbsolutePath().normalize();
        Path directory = replaceableTarget(out);
        Path tmp = directory.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.writeTo(w);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BadInputException("--out: cannot write " + out + ": " + e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the temporary file is hidden and named after the target
            }
        }
    }
}
