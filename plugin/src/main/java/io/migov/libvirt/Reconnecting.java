// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.failsafe.function.ContextualSupplier;
import io.migov.port.HypervisorException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/** Re-opening a lost libvirt connection in the background, with Failsafe's {@link RetryPolicy}. */
final class Reconnecting {

    private Reconnecting() {
    }

    /**
     * {@code initial} before the first retry, doubling after each failure up to {@code max}, no
     * jitter, no limit on attempts (the adapter stops the chain when it closes). Only
     * {@link HypervisorException}s are retried: opening a connection reports every libvirt failure
     * as one, so anything else is a bug that must not be retried forever.
     *
     * @throws IllegalArgumentException unless {@code 0 < initial <= max}
     */
    static <T> RetryPolicy<T> policy(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("reconnect backoff: need 0 < initial <= max, got " + initial + ", " + max);
        }
        RetryPolicyBuilder<T> b = RetryPolicy.<T>builder().handle(HypervisorException.class).withMaxRetries(-1);
        // Failsafe's backoff needs initial < max; equal bounds are a fixed delay
        return (initial.equals(max) ? b.withDelay(initial) : b.withBackoff(initial, max)).build();
    }

    /**
     * Runs {@code attempt} on {@code scheduler} until it returns, the policy gives up, or the future
     * is cancelled. {@code failure} (the lost connection, or the first connect that failed) counts as
     * the first failed attempt, so the first retry waits the policy's first delay, not zero.
     */
    static <T> CompletableFuture<T> afterFailure(Throwable failure, RetryPolicy<T> policy, ScheduledExecutorService scheduler,
                                                 ContextualSupplier<T, T> attempt) {
        return Failsafe.with(policy).with(scheduler).getAsyncExecution(execution -> {
            if (execution.isFirstAttempt()) {
                execution.recordException(failure);
                return;
            }
            T result;
            try {
                result = attempt.get(execution);
            } catch (Throwable t) {
                execution.recordException(t);
                return;
            }
            execution.recordResult(result);
        });
    }
}
