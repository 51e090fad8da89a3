// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectingTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static HypervisorException refused() {
        return new HypervisorException(Kind.CONNECTION, "virConnectOpen", "Failed to connect socket");
    }

    /** The delays the policy asks for after each of {@code failures} failed attempts in a row. */
    private static List<Long> delaysMillis(RetryPolicy<Object> policy, int failures) {
        Execution<Object> e = Execution.of(policy);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            e.recordException(refused());
            out.add(e.getDelay().toMillis());
        }
        return out;
    }

    @Test
    void policy_1sTo30s_doublesThenCapsWithoutJitter() {
        RetryPolicy<Object> p = Reconnecting.policy(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L), delaysMillis(p, 7));
        assertEquals(delaysMillis(p, 7), delaysMillis(p, 7), "no jitter");
    }

    @Test
    void policy_initialEqualsMax_waitsTheSameEveryTime() {
        assertEquals(List.of(500L, 500L, 500L), delaysMillis(Reconnecting.policy(Duration.ofMillis(500), Duration.ofMillis(500)), 3));
    }

    @Test
    void policy_libvirtFailures_retriedWithoutLimitAnythingElse_ends() {
        Execution<Object> e = Execution.of(Reconnecting.policy(Duration.ofSeconds(1), Duration.ofSeconds(30)));
        for (int i = 0; i < 10_000; i++) {
            e.recordException(refused());
        }
        assertFalse(e.isComplete(), "still retrying after 10 000 failures");
        e.recordException(new IllegalStateException("a bug"));
        assertTrue(e.isComplete());
    }

    @Test
    void policy_maxBelowInitialOrZeroInitial_isRejected() {
        assertEquals("reconnect backoff: need 0 < initial <= max, got PT5S, PT1S", assertThrows(IllegalArgumentException.class,
                () -> Reconnecting.policy(Duration.ofSeconds(5), Duration.ofSeconds(1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reconnecting.policy(Duration.ZERO, Duration.ofSeconds(1)));
    }

    @Test
    void afterFailure_firstRetryWaitsInitialThenDoubles_untilAnAttemptSucceeds() throws Exception {
        long start = System.nanoTime();
        List<Long> attemptNanos = new ArrayList<>();
        List<Integer> attemptCounts = new ArrayList<>();
        CompletableFuture<String> f = Reconnecting.afterFailure(refused(),
                Reconnecting.policy(Duration.ofMillis(2), Duration.ofMillis(8)), scheduler, ctx -> {
                    attemptNanos.add(System.nanoTime());
                    attemptCounts.add(ctx.getAttemptCount());
                    if (attemptNanos.size() < 4) {
                        throw refused();
                    }
                    return "session";
                });

        assertEquals("session", f.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1, 2, 3, 4), attemptCounts, "the failure that started the chain is attempt 1");
        long[] waitedMillis = new long[attemptNanos.size()];
        long previous = start;
        for (int i = 0; i < waitedMillis.length; i++) {
            waitedMillis[i] = TimeUnit.NANOSECONDS.toMillis(attemptNanos.get(i) - previous);
            previous = attemptNanos.get(i);
        }
        long[] atLeast = {2, 4, 8, 8};
        for (int i = 0; i < atLeast.length; i++) {
            assertTrue(waitedMillis[i] >= atLeast[i], "wait before attempt " + (i + 1) + ": " + java.util.Arrays.toString(waitedMillis));
        }
    }

    @Test
    void afterFailure_attemptFailingWithABug_endsTheChainWithIt() {
        CompletableFuture<String> f = Reconnecting.afterFailure(refused(),
                Reconnecting.policy(Duration.ofMillis(1), Duration.ofMillis(2)), scheduler, ctx -> {
                    throw new IllegalStateException("a bug");
                });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }
}
