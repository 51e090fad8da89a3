// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs tasks on a shared executor, one lane per key (a VM's UUID): a lane's tasks run one at a time
 * in the order submitted, different lanes run side by side. A VM's events and polls must be seen in
 * libvirt's order (pass 2 before pass 3, the last pass before JOB_COMPLETED), but one slow libvirt
 * call for one migrating VM must not hold up the steering of another.
 */
final class SerialLanes {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLanes.class);

    private final Executor executor;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    SerialLanes(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Queues {@code task} on {@code key}'s lane; it runs after the lane's earlier tasks. */
    void execute(String key, Runnable task) {
        Objects.requireNonNull(task, "task");
        while (true) {
            Lane lane = lanes.computeIfAbsent(key, Lane::new);
            if (lane.offer(task)) {
                return;
            }
            // the lane retired itself between the lookup and the offer: take a fresh one
        }
    }

    /** Lanes that exist now (idle ones retire themselves). */
    int size() {
        return lanes.size();
    }

    private final class Lane implements Runnable {
        private final String key;
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private boolean running;
        private boolean retired;

        Lane(String key) {
            this.key = key;
        }

        boolean offer(Runnable task) {
            synchronized (this) {
                if (retired) {
                    return false;
                }
                queue.add(task);
                if (running) {
                    return true;
                }
                running = true;
            }
            try {
                executor.execute(this);
            } catch (RuntimeException e) { // rejected: the executor is shutting down
                synchronized (this) {
                    queue.clear();
                    running = false;
                }
                throw e;
            }
            return true;
        }

        @Override
        public void run() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        running = false;
                        retired = true; // an idle lane holds nothing: drop it, the next task makes a new one
                        lanes.remove(key, this);
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: steering task failed", key, e); // the lane goes on with the next task
                }
            }
        }
    }
}
