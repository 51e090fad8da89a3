package io.migov.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
}
