package io.migov.governor;

import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An in-memory hypervisor: domains, jobs and metadata set by the test; every mutating call recorded. */
final class FakeHypervisor implements Hypervisor {
    final Map<String, DomainStats> domains = new LinkedHashMap<>();
    final Map<String, JobStats> jobs = new HashMap<>();
    final Map<String, String> metadata = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final Deque<HypervisorException> startPostCopyFailures = new ArrayDeque<>();
    long maxDowntimeMillis = 300;
    HypervisorListener listener;

    void put(DomainStats d) {
        domains.put(d.uuid(), d);
    }

    @Override
    public String uri() {
        return "fake:///system";
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public List<DomainStats> runningDomainStats() {
        return new ArrayList<>(domains.values());
    }

    @Override
    public JobStats jobStats(String uuid) throws HypervisorException {
        if (!domains.containsKey(uuid)) {
            throw new HypervisorException(HypervisorException.Kind.NO_DOMAIN, "virDomainGetJobStats", "no domain " + uuid);
        }
        return jobs.getOrDefault(uuid, JobStats.none());
    }

    @Override
    public void startPostCopy(String uuid) throws HypervisorException {
        calls.add("startPostCopy " + uuid);
        HypervisorException failure = startPostCopyFailures.poll();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public long maxDowntimeMillis(String uuid) {
        return maxDowntimeMillis;
    }

    @Override
    public void setMaxDowntimeMillis(String uuid, long downtimeMillis) {
        calls.add("setMaxDowntime " + uuid + " " + downtimeMillis);
    }

    @Override
    public void setMaxSpeedMiBPerSecond(String uuid, long bandwidthMiBPerSecond) {
        calls.add("setMaxSpeed " + uuid + " " + bandwidthMiBPerSecond);
    }

    @Override
    public String metadata(String uuid) {
        return metadata.get(uuid);
    }

    @Override
    public void setMetadata(String uuid, String elementXml) {
        calls.add("setMetadata " + uuid);
        metadata.put(uuid, elementXml);
    }

    @Override
    public void setListener(HypervisorListener l) {
        this.listener = l;
    }

    @Override
    public void close() {
    }
}
