// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.ByteRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchReaderTest {

    @Test
    void submit_readsTheRangeOfTheFile_upToItsEnd(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("disk.raw");
        Files.write(image, new byte[3 * PrefetchReader.CHUNK_BYTES + 100]);
        PrefetchReader reader = PrefetchReader.files(Runnable::run);
        AtomicLong done = new AtomicLong(-1);
        assertTrue(reader.submit(image, new ByteRange(PrefetchReader.CHUNK_BYTES, 2L * PrefetchReader.CHUNK_BYTES + 50), done::set));
        assertEquals(2L * PrefetchReader.CHUNK_BYTES + 50, done.get());
        assertTrue(reader.submit(image, new ByteRange(3L * PrefetchReader.CHUNK_BYTES, 1000), done::set));
        assertEquals(100, done.get(), "stops at the end of the file");
        assertEquals(2L * PrefetchReader.CHUNK_BYTES + 150, reader.bytesRead());
    }

    @Test
    void submit_whileAReadRuns_refused() {
        List<Runnable> queued = new ArrayList<>();
        PrefetchReader reader = new PrefetchReader(queued::add, (f, o, l) -> l);
        assertTrue(reader.submit(Path.of("/x"), new ByteRange(0, 10), n -> { }));
        assertFalse(reader.submit(Path.of("/x"), new ByteRange(10, 10), n -> { }), "one read at a time");
        queued.get(0).run();
        assertTrue(reader.submit(Path.of("/x"), new ByteRange(10, 10), n -> { }));
    }

    @Test
    void submit_missingFile_countsAFailure_reportsNothingRead(@TempDir Path dir) {
        PrefetchReader reader = PrefetchReader.files(Runnable::run);
        AtomicLong done = new AtomicLong(-1);
        assertTrue(reader.submit(dir.resolve("gone.raw"), new ByteRange(0, 10), done::set));
        assertEquals(0, done.get());
        assertEquals(1, reader.failures());
        assertFalse(reader.busy());
    }
}
