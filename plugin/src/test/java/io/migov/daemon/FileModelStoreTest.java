// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileModelStoreTest {

    private static final String UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @TempDir
    Path stateDir;

    @Test
    void save_thenLoad_returnsTheModelFromModelsDir() throws Exception {
        FileModelStore store = new FileModelStore(stateDir);
        store.save(UUID, "{\"format\":\"migov-markov\"}");
        assertEquals(Optional.of("{\"format\":\"migov-markov\"}"), store.load(UUID));
        assertEquals("{\"format\":\"migov-markov\"}", Files.readString(stateDir.resolve("models").resolve(UUID + ".json")));
    }

    @Test
    void load_unknownUuid_isEmpty() throws Exception {
        assertEquals(Optional.empty(), new FileModelStore(stateDir).load(UUID));
    }

    @Test
    void save_twice_replacesTheCheckpointWholeAndLeavesNoTempFile() throws Exception {
        FileModelStore store = new FileModelStore(stateDir);
        store.save(UUID, "a much longer first version of the model");
        store.save(UUID, "second");
        assertEquals(Optional.of("second"), store.load(UUID));
        assertEquals(List.of(UUID + ".json"), names(stateDir.resolve("models")));
    }

    @Test
    void constructor_missingDirs_createsModelsDir0750AndClearsLeftoverTempFiles() throws Exception {
        Path models = stateDir.resolve("models");
        Files.createDirectories(models);
        Files.writeString(models.resolve("." + UUID + ".123.tmp"), "half a mod");
        Files.writeString(models.resolve(UUID + ".json"), "kept");
        new FileModelStore(stateDir);
        assertEquals(List.of(UUID + ".json"), names(models));

        Path fresh = stateDir.resolve("fresh");
        new FileModelStore(fresh);
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("models"))));
    }

    @Test
    void save_whileReadersLoad_readersSeeOneWholeVersionOrTheOther() throws Exception {
        FileModelStore store = new FileModelStore(stateDir);
        String a = "a".repeat(200_000);
        String b = "b".repeat(150_000);
        store.save(UUID, a);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    String seen = store.load(UUID).orElse(null);
                    if (!a.equals(seen) && !b.equals(seen)) {
                        torn.set(seen == null ? "missing" : "length " + seen.length());
                    }
                } catch (IOException e) {
                    torn.set(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 150; i++) {
            store.save(UUID, i % 2 == 0 ? b : a);
        }
        done.set(true);
        reader.join();
        assertNull(torn.get(), "a reader saw a partial or missing checkpoint");
    }

    @Test
    void save_renameFails_leavesNoTempFileAndThrows() throws Exception {
        FileModelStore store = new FileModelStore(stateDir);
        Path target = stateDir.resolve("models").resolve(UUID + ".json");
        Files.createDirectories(target.resolve("occupied")); // a non-empty directory cannot be renamed over
        assertThrows(IOException.class, () -> store.save(UUID, "model"));
        assertEquals(List.of(UUID + ".json"), names(stateDir.resolve("models")));
        assertTrue(Files.isDirectory(target));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"../../etc/passwd", "0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5b-d9cb-469f-a165-70867728950e/..",
            "0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5b-d9cb-469f-a165-70867728950e.json", "------------------------------------",
            "0f8fad5bd9cb469fa16570867728950e", "/tmp/0f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950\n"})
    void saveAndLoad_notALibvirtUuid_areRejectedWithoutTouchingFiles(String uuid) throws Exception {
        FileModelStore store = new FileModelStore(stateDir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(uuid, "x"));
        assertTrue(e.getMessage().startsWith("uuid: expected a lower-case UUID"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.load(uuid));
        assertEquals(List.of(), names(stateDir.resolve("models")));
        assertFalse(Files.exists(stateDir.resolve("passwd")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
