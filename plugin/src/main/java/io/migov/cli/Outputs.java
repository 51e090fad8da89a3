package io.migov.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output files of the bench commands: written whole, an unwritable path is bad input naming the option. */
final class Outputs {

    private Outputs() {
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
