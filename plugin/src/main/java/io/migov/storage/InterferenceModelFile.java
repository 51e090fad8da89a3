// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.InterferenceModel;
import io.migov.core.storage.InterferenceModelCodec;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code interferenceModel} setting: a model file written by {@code migov train}, or "" for the
 * research's coefficients. Every failure is an IllegalArgumentException naming the key, the problem
 * and the path, so the config file and the tunables MBean report it alike.
 */
public final class InterferenceModelFile {

    public static final String KEY = "interferenceModel";

    private InterferenceModelFile() {
    }

    /**
     * @param path "" for {@link InterferenceModel#RESEARCH_DEFAULT}, else the file; a relative path
     *             is taken from the working directory, the same from the config file and over JMX
     */
    public static InterferenceModel load(String path) {
        if (path.isEmpty()) {
            return InterferenceModel.RESEARCH_DEFAULT;
        }
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw problem("a path (" + e.getReason() + ")", path);
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw problem("a readable model file (no such file)", path);
        } catch (AccessDeniedException e) {
            throw problem("a readable model file (permission denied)", path);
        } catch (MalformedInputException e) {
            throw problem("a model file (not UTF-8 text)", path);
        } catch (IOException e) {
            throw problem("a readable model file (" + e.getMessage() + ")", path);
        }
        try {
            return InterferenceModelCodec.decode(json);
        } catch (IllegalArgumentException e) {
            throw problem("a model written by migov train (" + e.getMessage() + ")", path);
        }
    }

    private static IllegalArgumentException problem(String what, String path) {
        return new IllegalArgumentException(KEY + ": expected " + what + ", got '" + path + "'");
    }
}
