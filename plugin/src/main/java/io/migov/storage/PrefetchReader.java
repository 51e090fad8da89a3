// SPDX-License-Identifier: Apache-2.0
package io.migov.storage;

import io.migov.core.storage.ByteRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Reads ranges of a disk image into the page cache ahead of the storage copy, with plain positional
 * reads into one reused buffer (the bytes are dropped; what stays is the kernel's cached page).
 *
 * <p>Why reads and not {@code posix_fadvise(WILLNEED)}: a read returns when the data is in memory,
 * so "prefetched" bytes are bytes that really are cached, and the memory cap the planner enforces
 * counts real pages; WILLNEED is a hint the kernel may trim or drop, whose completion is invisible,
 * and needs a file descriptor Java does not expose (JNA open/fadvise/close per range). The cost is
 * one copy into user space per byte, a few percent of a core at the copy's speeds. The mapping from
 * the copy's position (guest-visible bytes) to file offsets is 1:1, exact for raw images; for qcow2
 * it is an approximation (clusters are laid out in allocation order).
 *
 * <p>One read runs at a time on the given executor; a range offered while one runs is refused, and
 * the planner offers it again (from the same frontier) on the next step.
 */
public final class PrefetchReader {

    private static final Logger LOG = LoggerFactory.getLogger(PrefetchReader.class);
    static final int CHUNK_BYTES = 1 << 20;

    /** Reads [offset, offset + length) of a file, returning the bytes read (fewer at the end of the file). */
    @FunctionalInterface
    public interface RangeReader {
        long read(Path file, long offsetBytes, long lengthBytes) throws IOException;
    }

    private final Executor executor;
    private final RangeReader reader;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public PrefetchReader(Executor executor, RangeReader reader) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** Reads the real file through a FileChannel. */
    public static PrefetchReader files(Executor executor) {
        return new PrefetchReader(executor, PrefetchReader::readRange);
    }

    /**
     * Starts reading {@code range} of {@code file}; {@code done} gets the bytes read (0 on failure).
     * Returns false, doing nothing, while another read runs.
     */
    public boolean submit(Path file, ByteRange range, LongConsumer done) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            executor.execute(() -> {
                long n = 0;
                try {
                    n = reader.read(file, range.offsetBytes(), range.lengthBytes());
                    bytesRead.addAndGet(n);
                } catch (IOException | RuntimeException e) {
                    failures.incrementAndGet();
                    LOG.debug("prefetch of {} [{}, +{}) failed: {}", file, range.offsetBytes(), range.lengthBytes(), e.toString());
                } finally {
                    busy.set(false);
                }
                done.accept(n);
            });
            return true;
        } catch (RejectedExecutionException e) {
            busy.set(false);
            return false;
        }
    }

    public boolean busy() {
        return busy.get();
    }

    /** Bytes read into the page cache since start. */
    public long bytesRead() {
        return bytesRead.get();
    }

    public long failures() {
        return failures.get();
    }

    static long readRange(Path file, long offsetBytes, long lengthBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, lengthBytes));
        long done = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (done < lengthBytes) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), lengthBytes - done));
                int n = ch.read(buffer, offsetBytes + done);
                if (n < 0) {
                    break;
                }
                done += n;
            }
        }
        return done;
    }
}
