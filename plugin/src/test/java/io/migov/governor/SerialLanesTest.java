// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerialLanesTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void execute_oneKey_runsItsTasksOneAtATimeInOrder() throws Exception {
        SerialLanes lanes = new SerialLanes(pool);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(200);
        int[] running = {0};
        boolean[] overlapped = {false};
        for (int i = 0; i < 200; i++) {
            int n = i;
            lanes.execute("vm", () -> {
                synchronized (running) {
                    overlapped[0] |= ++running[0] > 1;
                }
                seen.add(n);
                synchronized (running) {
                    running[0]--;
                }
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(200, seen.size());
        for (int i = 0; i < 200; i++) {
            assertEquals(i, seen.get(i));
        }
        assertTrue(!overlapped[0], "two tasks of one lane ran at once");
    }

    @Test
    void execute_aBlockedLane_doesNotHoldUpAnotherKey() throws Exception {
        SerialLanes lanes = new SerialLanes(pool);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        lanes.execute("slow-vm", () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        lanes.execute("other-vm", otherRan::countDown);
        assertTrue(otherRan.await(5, TimeUnit.SECONDS), "the other VM's task waited for the slow one");
        release.countDown();
    }

    @Test
    void execute_idleLanes_areDropped() throws Exception {
        SerialLanes lanes = new SerialLanes(pool);
        CountDownLatch done = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            lanes.execute("vm-" + i, done::countDown);
        }
        assertTrue(done.await(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lanes.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, lanes.size());
    }

    @Test
    void execute_aFailingTask_theLaneGoesOn() {
        SerialLanes lanes = new SerialLanes(Runnable::run);
        List<String> seen = new ArrayList<>();
        lanes.execute("vm", () -> {
            throw new IllegalStateException("boom");
        });
        lanes.execute("vm", () -> seen.add("next"));
        assertEquals(List.of("next"), seen);
    }
}
