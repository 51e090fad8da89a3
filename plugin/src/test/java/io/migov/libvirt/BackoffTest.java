package io.migov.libvirt;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    @Test
    void nextDelay_1sTo30s_doublesThenCaps() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        long[] got = new long[7];
        for (int i = 0; i < got.length; i++) {
            got[i] = b.nextDelayMillis();
        }
        assertEquals("[1000, 2000, 4000, 8000, 16000, 30000, 30000]", java.util.Arrays.toString(got));
    }

    @Test
    void reset_afterSuccess_startsAgainAtInitial() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        b.nextDelayMillis();
        b.nextDelayMillis();
        b.reset();
        assertEquals(1000, b.nextDelayMillis());
    }

    @Test
    void new_maxBelowInitial_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
