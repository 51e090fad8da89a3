package io.migov.daemon.management;

import io.migov.port.DomainStats;
import io.migov.port.Hypervisor;
import io.migov.port.HypervisorException;
import io.migov.port.HypervisorListener;
import io.migov.port.JobStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory hypervisor for the management tests: domains and jobs set by the test, actions recorded. */
final class FakeHost implements Hypervisor {
    final Map<String, DomainStats> domains = new ConcurrentHashMap<>();
    final Map<String, JobStats> jobs = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile HypervisorListener listener;

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
        List<DomainStats> out = new ArrayList<>(domains.values());
        out.sort(java.util.Comparator.comparing(DomainStats::name));
        return out;
    }

    @Override
    public JobStats jobStats(String uuid) throws HypervisorException {
        if (!domains.containsKey(uuid)) {
            throw new HypervisorException(HypervisorException.Kind.NO_DOMAIN, "virDomainGetJobStats", "no domain " + uuid);
        }
        return jobs.getOrDefault(uuid, JobStats.none());
    }

    @Override
    public void startPostCopy(String uuid) {
        calls.add("startPostCopy " + uuid);
    }

    @Override
    public long maxDowntimeMillis(String uuid) {
        return 300;
    }

    @Override
    public void setMaxDowntimeMillis(String uuid, long downtimeMillis) {
        calls.add("setMaxDowntime " + uuid + " " + downtimeMillis);
    }

    @Override
    public void setMaxSpeedMiBPerSecond(String uuid, long bandwidthMiBPerSecond) {
        calls.add("setMaxSpeed " + uuid);
    }

    @Override
    public String metadata(String uuid) {
        return null;
    }

    @Override
    public void setMetadata(String uuid, String elementXml) {
    }

    @Override
    public void setListener(HypervisorListener l) {
        this.listener = l;
    }

    @Override
    public void close() {
    }
}
