// SPDX-License-Identifier: Apache-2.0
package io.migov.libvirt;

import io.migov.port.DirtyRate;
import io.migov.port.DomainStats;
import io.migov.port.JobStats;
import org.libvirt.TypedBooleanParameter;
import org.libvirt.TypedDoubleParameter;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedLongParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUintParameter;
import org.libvirt.TypedUlongParameter;

import java.util.HashMap;
import java.util.Map;

/** Pure mapping of libvirt's typed parameters into the port's records. No libvirt calls. */
final class StatsMapping {

    /** {@code state.state} of a running domain (VIR_DOMAIN_RUNNING). */
    static final long STATE_RUNNING = 1;
    /** {@code state.state} of a paused domain (VIR_DOMAIN_PAUSED); its {@code state.reason} is a virDomainPausedReason. */
    static final long STATE_PAUSED = 3;

    private StatsMapping() {
    }

    /** virDomainJobType number → {@link JobStats.Type}; unknown numbers → NONE. */
    static JobStats.Type jobType(int type) {
        JobStats.Type[] all = JobStats.Type.values();
        return type >= 0 && type < all.length ? all[type] : JobStats.Type.NONE;
    }

    /** Typed parameters read from native memory (bulk stats, JOB_COMPLETED event). */
    static JobStats jobStats(JobStats.Type type, Map<String, TypedParams.Param> params) {
        Map<String, Long> fields = new HashMap<>();
        Map<String, String> strings = new HashMap<>();
        for (TypedParams.Param p : params.values()) {
            if (p.isString()) {
                if (p.text() != null) {
                    strings.put(p.field(), p.text());
                }
            } else if (p.isNumeric()) {
                fields.put(p.field(), p.number());
            }
        }
        return new JobStats(type, fields, strings);
    }

    /** libvirt-java's decoded parameters (Domain.getJobStats). */
    static JobStats jobStats(int type, TypedParameter[] params) {
        Map<String, Long> fields = new HashMap<>();
        Map<String, String> strings = new HashMap<>();
        if (params != null) {
            for (TypedParameter p : params) {
                if (p == null || p.field == null) {
                    continue;
                }
                if (p instanceof TypedStringParameter s) {
                    if (s.value != null) {
                        strings.put(p.field, s.value);
                    }
                } else {
                    Long v = number(p);
                    if (v != null) {
                        fields.put(p.field, v);
                    }
                }
            }
        }
        return new JobStats(jobType(type), fields, strings);
    }

    private static Long number(TypedParameter p) {
        if (p instanceof TypedIntParameter i) {
            return (long) i.value;
        }
        if (p instanceof TypedUintParameter u) {
            return Integer.toUnsignedLong(u.value);
        }
        if (p instanceof TypedLongParameter l) {
            return l.value;
        }
        if (p instanceof TypedUlongParameter ul) {
            return ul.value < 0 ? Long.MAX_VALUE : ul.value;
        }
        if (p instanceof TypedDoubleParameter d) {
            return Math.round(d.value);
        }
        if (p instanceof TypedBooleanParameter b) {
            return b.value ? 1L : 0L;
        }
        return null;
    }

    /** One record of virConnectGetAllDomainStats; fields libvirt did not report are -1. */
    static DomainStats domainStats(String uuid, String name, Map<String, TypedParams.Param> params) {
        long state = num(params, "state.state");
        long netCount = num(params, "net.count");
        long rx = -1;
        long tx = -1;
        for (int i = 0; i < netCount; i++) {
            rx = addKnown(rx, num(params, "net." + i + ".rx.bytes"));
            tx = addKnown(tx, num(params, "net." + i + ".tx.bytes"));
        }
        return new DomainStats(uuid, name, state == STATE_RUNNING,
                (int) num(params, "vcpu.current"),
                num(params, "cpu.time"),
                num(params, "balloon.current"),
                num(params, "balloon.maximum"),
                num(params, "balloon.available"),
                num(params, "balloon.usable"),
                num(params, "balloon.unused"),
                num(params, "balloon.rss"),
                rx, tx, blockIo(params), state == STATE_PAUSED ? (int) num(params, "state.reason") : -1);
    }

    /** The {@code block.*} group summed over the domain's disks; a disk without a counter adds nothing. */
    static DomainStats.BlockIo blockIo(Map<String, TypedParams.Param> params) {
        long count = num(params, "block.count");
        if (count < 0) {
            return DomainStats.BlockIo.UNKNOWN;
        }
        long rdBytes = 0;
        long wrBytes = 0;
        long rdReqs = 0;
        long wrReqs = 0;
        for (int i = 0; i < count; i++) {
            rdBytes += Math.max(0, num(params, "block." + i + ".rd.bytes"));
            wrBytes += Math.max(0, num(params, "block." + i + ".wr.bytes"));
            rdReqs += Math.max(0, num(params, "block." + i + ".rd.reqs"));
            wrReqs += Math.max(0, num(params, "block." + i + ".wr.reqs"));
        }
        return new DomainStats.BlockIo(rdBytes, wrBytes, rdReqs, wrReqs);
    }

    /** The {@code dirtyrate.*} group of one stats record. */
    static DirtyRate dirtyRate(Map<String, TypedParams.Param> params) {
        return new DirtyRate((int) num(params, "dirtyrate.calc_status"), num(params, "dirtyrate.calc_start_time"),
                num(params, "dirtyrate.calc_period"), num(params, "dirtyrate.megabytes_per_second"));
    }

    private static long num(Map<String, TypedParams.Param> params, String field) {
        TypedParams.Param p = params.get(field);
        return p != null && p.isNumeric() ? p.number() : -1;
    }

    private static long addKnown(long sum, long value) {
        if (value < 0) {
            return sum;
        }
        return sum < 0 ? value : sum + value;
    }
}
