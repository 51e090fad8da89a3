// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import io.migov.core.Sample;
import io.migov.port.DirtyRate;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures each VM's memory write intensity outside migrations with libvirt's page-sampling
 * dirty-rate calculation. Each tick it collects the calculations that should have finished, then
 * starts new ones: at most ⌈VMs ÷ interval⌉ per tick, the longest-unmeasured first, so a host's VMs
 * are measured in turn rather than all in the same second, and never more than the host-wide cap
 * {@link WriteSampling#dirtyRateMaxCalcsPerSecond()} (a token bucket: a large host stretches each
 * VM's interval instead of paying for more calculations). A VM that migrates is neither started nor
 * collected: the migration tracks dirty pages itself, and its own load is not the workload.
 *
 * <p>A VM's write intensity is held between measurements (a step function of the last result), so
 * every per-second sample carries the most recent one. Runs on the profiler thread; VM fields are
 * touched under the VM's monitor, libvirt is called outside it.
 */
final class WriteIntensitySampler {

    private static final Logger LOG = LoggerFactory.getLogger(WriteIntensitySampler.class);
    private static final long SECOND = 1_000_000_000L;
    /** How long after its expected end a calculation may still report "measuring" before it is given up. */
    private static final long COLLECT_GRACE_NANOS = 5 * SECOND;

    private final Hypervisor hypervisor;
    final AtomicLong started = new AtomicLong();
    final AtomicLong measured = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** Calculations that may start now under the cap; refilled at the cap's rate, at most max(1, cap). */
    private double tokens;
    private long lastRefillNanos = Long.MIN_VALUE;

    WriteIntensitySampler(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    void tick(Collection<VmState> vms, long now, GovernorSettings s) {
        WriteSampling w = s.writeSampling();
        if (!w.enabled()) {
            return;
        }
        double reference = w.referenceBytesPerSecond(s.linkCapacityBitsPerSecond());
        List<VmState> eligible = new ArrayList<>();
        for (VmState vm : vms) {
            boolean collect;
            synchronized (vm) {
                if (vm.watch != null) {
                    vm.dirtyCalcPending = false; // whatever it measured overlapped the migration
                    continue;
                }
                collect = vm.dirtyCalcPending && now - vm.dirtyCalcStartNanos >= vm.dirtyCalcSeconds * SECOND;
                if (!vm.dirtyCalcPending && now - vm.dirtyCalcStartNanos >= w.dirtyRateIntervalSeconds() * SECOND
                        || vm.dirtyCalcStartNanos == Long.MIN_VALUE) {
                    eligible.add(vm);
                }
            }
            if (collect) {
                collect(vm, now, reference);
            }
        }
        double cap = w.dirtyRateMaxCalcsPerSecond();
        if (lastRefillNanos == Long.MIN_VALUE) {
            tokens = Math.max(1.0, cap);
        } else if (now > lastRefillNanos) {
            tokens = Math.min(Math.max(1.0, cap), tokens + cap * (now - lastRefillNanos) / (double) SECOND);
        }
        lastRefillNanos = now;
        int budget = Math.max(1, (vms.size() + w.dirtyRateIntervalSeconds() - 1) / w.dirtyRateIntervalSeconds());
        budget = Math.min(budget, (int) Math.floor(tokens));
        eligible.sort(Comparator.comparingLong(vm -> vm.dirtyCalcStartNanos));
        for (VmState vm : eligible.subList(0, Math.min(budget, eligible.size()))) {
            tokens -= 1.0; // a refused start cost libvirt and QEMU a round trip too
            start(vm, now, w.dirtyRateCalcSeconds());
        }
    }

    private void start(VmState vm, long now, int seconds) {
        synchronized (vm) {
            if (vm.watch != null || vm.dirtyCalcPending) {
                return;
            }
            vm.dirtyCalcStartNanos = now; // also on failure: retried after an interval, not every tick
        }
        try {
            // no job read first (it was one more RPC per calculation): a migration is known from its
            // events, watched VMs were skipped above, and one starting this instant only delays this call
            hypervisor.startDirtyRateCalc(vm.uuid, seconds);
            started.incrementAndGet();
            synchronized (vm) {
                vm.dirtyCalcPending = true;
                vm.dirtyCalcSeconds = seconds;
            }
        } catch (HypervisorException e) {
            failed.incrementAndGet();
            LOG.debug("{}: cannot start a dirty-rate calculation: {}", vm.name, e.getMessage());
        }
    }

    private void collect(VmState vm, long now, double referenceBytesPerSecond) {
        DirtyRate rate;
        try {
            rate = hypervisor.dirtyRate(vm.uuid);
        } catch (HypervisorException e) {
            failed.incrementAndGet();
            LOG.debug("{}: cannot read the dirty rate: {}", vm.name, e.getMessage());
            synchronized (vm) {
                vm.dirtyCalcPending = false;
            }
            return;
        }
        synchronized (vm) {
            boolean fresh = rate.measured() && (vm.dirtyCalcStartSeconds < 0 || rate.calcStartSeconds() > vm.dirtyCalcStartSeconds);
            if (fresh) {
                vm.dirtyCalcPending = false;
                vm.dirtyCalcStartSeconds = rate.calcStartSeconds();
                vm.dirtyBytesPerSecond = rate.bytesPerSecond();
                vm.writePercent = Sample.writeIntensityPercent(rate.bytesPerSecond(), referenceBytesPerSecond);
                measured.incrementAndGet();
            } else if (now - vm.dirtyCalcStartNanos >= vm.dirtyCalcSeconds * SECOND + COLLECT_GRACE_NANOS) {
                vm.dirtyCalcPending = false;
                failed.incrementAndGet();
                LOG.debug("{}: dirty-rate calculation still not measured (status {}); giving it up", vm.name, rate.status());
            }
        }
    }
}
