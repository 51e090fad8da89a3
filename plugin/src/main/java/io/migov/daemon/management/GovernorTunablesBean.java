package io.migov.daemon.management;

import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceSettings;
import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.governor.GovernorSettings;
import io.migov.governor.Mode;
import io.migov.governor.WriteSampling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weakref.jmx.Managed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code io.migov:type=Governor,name=Tunables}: the governor's runtime-mutable settings (read and
 * write; the jobs read them afresh on every tick and pass, so a change takes effect at the next
 * tick), the startup-only settings (read-only: a restart changes them) and {@link #reloadConfig()}.
 *
 * <p>Every setter validates with the configuration's own rules (the core records'), so a value the
 * config file would reject is rejected here with the same message, naming the config key, e.g.
 * {@code lookAhead: expected 1..1000, got 0}; a rejected set changes nothing. Values set here are
 * not written to the config file: a restart or {@link #reloadConfig()} returns to the file's.
 */
public final class GovernorTunablesBean {

    private static final Logger LOG = LoggerFactory.getLogger(GovernorTunablesBean.class);

    /** The runtime-mutable keys and how to read each from the settings, in the documentation's order. */
    static final Map<String, Function<GovernorSettings, Object>> TUNABLES = new LinkedHashMap<>();

    static {
        TUNABLES.put("mode", s -> s.mode().configName());
        TUNABLES.put("lookAhead", GovernorSettings::lookAhead);
        TUNABLES.put("maxIterations", s -> s.controller().maxIterations());
        TUNABLES.put("memoryIntensiveShare", s -> s.controller().memoryIntensiveShare());
        TUNABLES.put("fallbackMaxDowntimeMillis", s -> s.controller().fallbackMaxDowntimeMillis());
        TUNABLES.put("noiseMarginPercent", s -> s.convergence().noiseMarginPercent());
        TUNABLES.put("stallWindowIterations", s -> s.convergence().stallWindowIterations());
        TUNABLES.put("patienceIterations", s -> s.convergence().patienceIterations());
        TUNABLES.put("completionPasses", s -> s.convergence().completionPasses());
        TUNABLES.put("pageSizeBytes", s -> s.convergence().pageSizeBytes());
        TUNABLES.put("linkCapacityBitsPerSecond", GovernorSettings::linkCapacityBitsPerSecond);
        TUNABLES.put("modelSyncIntervalSeconds", GovernorSettings::modelSyncIntervalSeconds);
        TUNABLES.put("checkpointIntervalSeconds", GovernorSettings::checkpointIntervalSeconds);
        TUNABLES.put("policy", GovernorSettings::policy);
        TUNABLES.put("kubevirtStallWindowSeconds", GovernorSettings::kubevirtStallWindowSeconds);
        TUNABLES.put("dirtyRateIntervalSeconds", s -> s.writeSampling().dirtyRateIntervalSeconds());
        TUNABLES.put("dirtyRateCalcSeconds", s -> s.writeSampling().dirtyRateCalcSeconds());
        TUNABLES.put("migrationBandwidthBytesPerSecond", s -> s.writeSampling().migrationBandwidthBytesPerSecond());
    }

    private final AtomicReference<GovernorSettings> settings;
    private final DaemonConfig startup;
    private final ConfigReloader reloader;

    GovernorTunablesBean(AtomicReference<GovernorSettings> settings, DaemonConfig startup, ConfigReloader reloader) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.startup = Objects.requireNonNull(startup, "startup");
        this.reloader = Objects.requireNonNull(reloader, "reloader");
    }

    /** Applies one change atomically; the change's validation failure propagates and nothing changes. */
    private void update(String key, Object value, UnaryOperator<GovernorSettings> change) {
        GovernorSettings before;
        GovernorSettings after;
        do {
            before = settings.get();
            after = change.apply(before);
        } while (!settings.compareAndSet(before, after));
        Object old = TUNABLES.get(key).apply(before);
        if (!old.equals(TUNABLES.get(key).apply(after))) {
            LOG.info("tunable {} set to {} (was {}) through JMX", key, value, old);
        }
    }

    private static GovernorSettings with(GovernorSettings base, Mode mode, int lookAhead, ControllerSettings controller,
                                         ConvergenceSettings convergence, long link, int sync, int checkpoint) {
        return new GovernorSettings(mode, lookAhead, controller, convergence, link, sync, checkpoint, base.policy(),
                base.kubevirtStallWindowSeconds(), base.writeSampling());
    }

    private static GovernorSettings withController(GovernorSettings s, ControllerSettings c) {
        return with(s, s.mode(), s.lookAhead(), c, s.convergence(), s.linkCapacityBitsPerSecond(), s.modelSyncIntervalSeconds(),
                s.checkpointIntervalSeconds());
    }

    private static GovernorSettings withConvergence(GovernorSettings s, ConvergenceSettings c) {
        return with(s, s.mode(), s.lookAhead(), s.controller(), c, s.linkCapacityBitsPerSecond(), s.modelSyncIntervalSeconds(),
                s.checkpointIntervalSeconds());
    }

    // =============================================================================== runtime-mutable

    @Managed(description = "mode: enforce (decide and act), advise (decide and log, touch nothing) or off (profile only). "
            + "Default enforce")
    public String getMode() {
        return settings.get().mode().configName();
    }

    @Managed
    public void setMode(String value) {
        Mode mode = Mode.parse("mode", value);
        update("mode", mode.configName(), s -> s.withMode(mode));
    }

    @Managed(description = "lookAhead n: steps predicted at migration start (steps of 1 s), 1..1000. Default 5")
    public int getLookAhead() {
        return settings.get().lookAhead();
    }

    @Managed
    public void setLookAhead(int value) {
        update("lookAhead", value, s -> with(s, s.mode(), value, s.controller(), s.convergence(), s.linkCapacityBitsPerSecond(),
                s.modelSyncIntervalSeconds(), s.checkpointIntervalSeconds()));
    }

    @Managed(description = "maxIterations m: switch (or raise the downtime) at this pre-copy pass at the latest (passes), "
            + "1..1000. Default 4")
    public int getMaxIterations() {
        return settings.get().controller().maxIterations();
    }

    @Managed
    public void setMaxIterations(int value) {
        update("maxIterations", value, s -> withController(s, new ControllerSettings(value, s.controller().memoryIntensiveShare(),
                s.controller().fallbackMaxDowntimeMillis())));
    }

    @Managed(description = "memoryIntensiveShare: the look-ahead counts as memory-intensive when at least this share of its "
            + "steps is (fraction), (0, 1]. Default 0.5")
    public double getMemoryIntensiveShare() {
        return settings.get().controller().memoryIntensiveShare();
    }

    @Managed
    public void setMemoryIntensiveShare(double value) {
        update("memoryIntensiveShare", value, s -> withController(s, new ControllerSettings(s.controller().maxIterations(), value,
                s.controller().fallbackMaxDowntimeMillis())));
    }

    @Managed(description = "fallbackMaxDowntimeMillis: cap on the downtime raised when post-copy is not permitted (ms), "
            + "1..2000000. Default 5000")
    public long getFallbackMaxDowntimeMillis() {
        return settings.get().controller().fallbackMaxDowntimeMillis();
    }

    @Managed
    public void setFallbackMaxDowntimeMillis(long value) {
        update("fallbackMaxDowntimeMillis", value, s -> withController(s, new ControllerSettings(s.controller().maxIterations(),
                s.controller().memoryIntensiveShare(), value)));
    }

    @Managed(description = "noiseMarginPercent: changes smaller than this share of the previous value are noise (%), "
            + "[0, 100). Default 4")
    public double getNoiseMarginPercent() {
        return settings.get().convergence().noiseMarginPercent();
    }

    @Managed
    public void setNoiseMarginPercent(double value) {
        update("noiseMarginPercent", value, s -> {
            ConvergenceSettings c = s.convergence();
            return withConvergence(s, new ConvergenceSettings(value, c.stallWindowIterations(), c.patienceIterations(),
                    c.completionPasses(), c.pageSizeBytes()));
        });
    }

    @Managed(description = "stallWindowIterations: a pass is compared with the best remaining bytes of passes at least this "
            + "many passes earlier (passes), 1..100. Default 1")
    public int getStallWindowIterations() {
        return settings.get().convergence().stallWindowIterations();
    }

    @Managed
    public void setStallWindowIterations(int value) {
        update("stallWindowIterations", value, s -> {
            ConvergenceSettings c = s.convergence();
            return withConvergence(s, new ConvergenceSettings(c.noiseMarginPercent(), value, c.patienceIterations(),
                    c.completionPasses(), c.pageSizeBytes()));
        });
    }

    @Managed(description = "patienceIterations: once stalled, wait at most this many passes for a local minimum (passes), "
            + "0..100. Default 1")
    public int getPatienceIterations() {
        return settings.get().convergence().patienceIterations();
    }

    @Managed
    public void setPatienceIterations(int value) {
        update("patienceIterations", value, s -> {
            ConvergenceSettings c = s.convergence();
            return withConvergence(s, new ConvergenceSettings(c.noiseMarginPercent(), c.stallWindowIterations(), value,
                    c.completionPasses(), c.pageSizeBytes()));
        });
    }

    @Managed(description = "completionPasses: WILL_COMPLETE when the remaining data fits the allowed downtime now or within "
            + "this many passes (passes), 0..10. Default 2")
    public int getCompletionPasses() {
        return settings.get().convergence().completionPasses();
    }

    @Managed
    public void setCompletionPasses(int value) {
        update("completionPasses", value, s -> {
            ConvergenceSettings c = s.convergence();
            return withConvergence(s, new ConvergenceSettings(c.noiseMarginPercent(), c.stallWindowIterations(),
                    c.patienceIterations(), value, c.pageSizeBytes()));
        });
    }

    @Managed(description = "pageSizeBytes: guest page size for the dirty-rate projection (bytes), a power of two ≥ 512. "
            + "Default 4096")
    public int getPageSizeBytes() {
        return settings.get().convergence().pageSizeBytes();
    }

    @Managed
    public void setPageSizeBytes(int value) {
        update("pageSizeBytes", value, s -> {
            ConvergenceSettings c = s.convergence();
            return withConvergence(s, new ConvergenceSettings(c.noiseMarginPercent(), c.stallWindowIterations(),
                    c.patienceIterations(), c.completionPasses(), value));
        });
    }

    @Managed(description = "linkCapacityBitsPerSecond: capacity that net in/out percentages are measured against (bit/s), "
            + "1000000..1000000000000. Default 1000000000 (1 Gbit/s)")
    public long getLinkCapacityBitsPerSecond() {
        return settings.get().linkCapacityBitsPerSecond();
    }

    @Managed
    public void setLinkCapacityBitsPerSecond(long value) {
        update("linkCapacityBitsPerSecond", value, s -> with(s, s.mode(), s.lookAhead(), s.controller(), s.convergence(), value,
                s.modelSyncIntervalSeconds(), s.checkpointIntervalSeconds()));
    }

    @Managed(description = "modelSyncIntervalSeconds: how often each VM's model is written to its domain metadata (s), "
            + "1..86400. Default 30")
    public int getModelSyncIntervalSeconds() {
        return settings.get().modelSyncIntervalSeconds();
    }

    @Managed
    public void setModelSyncIntervalSeconds(int value) {
        update("modelSyncIntervalSeconds", value, s -> with(s, s.mode(), s.lookAhead(), s.controller(), s.convergence(),
                s.linkCapacityBitsPerSecond(), value, s.checkpointIntervalSeconds()));
    }

    @Managed(description = "checkpointIntervalSeconds: how often each VM's model is checkpointed to the state dir (s), "
            + "1..86400. Default 60")
    public int getCheckpointIntervalSeconds() {
        return settings.get().checkpointIntervalSeconds();
    }

    @Managed
    public void setCheckpointIntervalSeconds(int value) {
        update("checkpointIntervalSeconds", value, s -> with(s, s.mode(), s.lookAhead(), s.controller(), s.convergence(),
                s.linkCapacityBitsPerSecond(), s.modelSyncIntervalSeconds(), value));
    }

    @Managed(description = "policy: the migration policy that steers migrations starting from now: migov, algorithm1, "
            + "precopy, postcopy-after-precopy, hybrid(m), always-postcopy, nova, nova-force-complete, kubevirt-stall (text). "
            + "Default migov")
    public String getPolicy() {
        return settings.get().policy();
    }

    @Managed
    public void setPolicy(String value) {
        String policy = io.migov.core.policy.Policies.canonical(value);
        update("policy", policy, s -> s.withPolicy(policy, s.kubevirtStallWindowSeconds()));
    }

    @Managed(description = "kubevirtStallWindowSeconds: the kubevirt-stall policy's window: remaining bytes must make a new "
            + "low within it (s), 1..3600. Default 40")
    public int getKubevirtStallWindowSeconds() {
        return settings.get().kubevirtStallWindowSeconds();
    }

    @Managed
    public void setKubevirtStallWindowSeconds(int value) {
        update("kubevirtStallWindowSeconds", value, s -> s.withPolicy(s.policy(), value));
    }

    @Managed(description = "dirtyRateIntervalSeconds: each VM's dirty rate is measured (a page-sampling calculation) at most "
            + "once per interval, staggered across VMs, never while it migrates (s), 0 (off) or 1..3600. Default 10")
    public int getDirtyRateIntervalSeconds() {
        return settings.get().writeSampling().dirtyRateIntervalSeconds();
    }

    @Managed
    public void setDirtyRateIntervalSeconds(int value) {
        update("dirtyRateIntervalSeconds", value, s -> s.withWriteSampling(new WriteSampling(value,
                s.writeSampling().dirtyRateCalcSeconds(), s.writeSampling().migrationBandwidthBytesPerSecond())));
    }

    @Managed(description = "dirtyRateCalcSeconds: length of one dirty-rate calculation (s), 1..60 and below "
            + "dirtyRateIntervalSeconds. Default 1")
    public int getDirtyRateCalcSeconds() {
        return settings.get().writeSampling().dirtyRateCalcSeconds();
    }

    @Managed
    public void setDirtyRateCalcSeconds(int value) {
        update("dirtyRateCalcSeconds", value, s -> s.withWriteSampling(new WriteSampling(
                s.writeSampling().dirtyRateIntervalSeconds(), value, s.writeSampling().migrationBandwidthBytesPerSecond())));
    }

    @Managed(description = "migrationBandwidthBytesPerSecond: the bandwidth write intensity refers to (100 % = the guest "
            + "dirties memory as fast as a migration sends it) (bytes/s), 0 = linkCapacityBitsPerSecond / 8. Default 0")
    public long getMigrationBandwidthBytesPerSecond() {
        return settings.get().writeSampling().migrationBandwidthBytesPerSecond();
    }

    @Managed
    public void setMigrationBandwidthBytesPerSecond(long value) {
        update("migrationBandwidthBytesPerSecond", value, s -> s.withWriteSampling(new WriteSampling(
                s.writeSampling().dirtyRateIntervalSeconds(), s.writeSampling().dirtyRateCalcSeconds(), value)));
    }

    // =============================================================================== startup-only (read-only)

    @Managed(description = "connect (startup-only): libvirt connection URI (text)")
    public String getConnect() {
        return startup.connect();
    }

    @Managed(description = "stateDir (startup-only): directory of the checkpoints and migrations.jsonl (path)")
    public String getStateDir() {
        return startup.stateDir().toString();
    }

    @Managed(description = "stateSpace (startup-only): the resources of a VM's state: usage (cpu, mem, net_in, net_out; the "
            + "research's), write (cpu, write, net_in, net_out) or usage+write")
    public String getStateSpace() {
        return startup.stateSpace().configName();
    }

    @Managed(description = "thresholds (startup-only): the state scheme, ascending percentages per resource (%), "
            + "e.g. cpu[25,50] mem[25,50] net_in[25,50] net_out[25,50] (81 states)")
    public String getThresholds() {
        return startup.discretiser().toString();
    }

    @Managed(description = "States of the scheme (count; product of thresholds + 1 per resource, startup-only)")
    public int getStateCount() {
        return startup.discretiser().stateCount();
    }

    @Managed(description = "priorFile (startup-only): the prior transition matrix (path; empty = uniform)")
    public String getPriorFile() {
        return startup.priorFile() == null ? "" : startup.priorFile().toString();
    }

    @Managed(description = "priorWeight (startup-only): pseudo-counts given to the prior once a row has observations (counts)")
    public double getPriorWeight() {
        return startup.priorWeight();
    }

    @Managed(description = "recordMaxBytes (startup-only): migrations.jsonl is rotated before it would pass this size (bytes)")
    public long getRecordMaxBytes() {
        return startup.records().maxBytes();
    }

    @Managed(description = "recordKeepFiles (startup-only): rotated record files kept (files)")
    public int getRecordKeepFiles() {
        return startup.records().keepFiles();
    }

    @Managed(description = "jmxRemote (startup-only): whether the remote JMX connector server runs (true/false)")
    public boolean isJmxRemote() {
        return startup.jmx().remote();
    }

    @Managed(description = "jmxBindAddress (startup-only): address of the remote JMX ports (IP address or host name)")
    public String getJmxBindAddress() {
        return startup.jmx().bindAddress();
    }

    @Managed(description = "jmxRegistryPort (startup-only): the RMI registry's TCP port, the one in the JMX URL (port)")
    public int getJmxRegistryPort() {
        return startup.jmx().registryPort();
    }

    @Managed(description = "jmxServerPort (startup-only): the RMI server's TCP port (port)")
    public int getJmxServerPort() {
        return startup.jmx().serverPort();
    }

    @Managed(description = "jmxAuthenticate (startup-only): remote JMX requires a user and password (true/false)")
    public boolean isJmxAuthenticate() {
        return startup.jmx().authenticate();
    }

    @Managed(description = "jmxTls (startup-only): remote JMX uses TLS (true/false)")
    public boolean isJmxTls() {
        return startup.jmx().tls();
    }

    @Managed(description = "jmxTlsClientAuth (startup-only): remote JMX clients must present a trusted certificate (true/false)")
    public boolean isJmxTlsClientAuth() {
        return startup.jmx().tlsClientAuth();
    }

    @Managed(description = "The file reloadConfig reads (path, or a note that the daemon runs without one)")
    public String getConfigFile() {
        return reloader.source();
    }

    // =============================================================================== operations

    /**
     * Reads the configuration again (the same file and command-line overrides as at startup) and
     * applies its runtime-mutable keys, all or nothing: an invalid file changes nothing and the
     * error names the key. Startup-only keys that differ are reported, not applied.
     */
    @Managed(description = "Re-read the config file and apply its runtime-mutable keys, all or nothing (same validation as "
            + "at startup; returns what changed). Values set through JMX are replaced by the file's")
    public String reloadConfig() {
        DaemonConfig fresh;
        try {
            fresh = reloader.reload();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage() + " (nothing changed)");
        }
        GovernorSettings before = settings.getAndSet(fresh.settings());
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Function<GovernorSettings, Object>> e : TUNABLES.entrySet()) {
            Object was = e.getValue().apply(before);
            Object now = e.getValue().apply(fresh.settings());
            if (!was.equals(now)) {
                changed.add(e.getKey() + " " + was + " → " + now);
            }
        }
        List<String> restart = startupOnlyDifferences(startup, fresh);
        String result = "reloaded " + reloader.source() + ": "
                + (changed.isEmpty() ? "no runtime-mutable key changed" : String.join(", ", changed))
                + (restart.isEmpty() ? "" : "; startup-only keys differ, restart to apply: " + String.join(", ", restart));
        LOG.info("{}", result);
        return result;
    }

    static List<String> startupOnlyDifferences(DaemonConfig a, DaemonConfig b) {
        List<String> out = new ArrayList<>();
        if (!a.connect().equals(b.connect())) {
            out.add("connect");
        }
        if (!a.stateDir().equals(b.stateDir())) {
            out.add("stateDir");
        }
        if (!a.discretiser().toString().equals(b.discretiser().toString())) {
            out.add("thresholds");
        }
        if (!Objects.equals(a.priorFile(), b.priorFile())) {
            out.add("priorFile");
        }
        if (a.priorWeight() != b.priorWeight()) {
            out.add("priorWeight");
        }
        if (a.records().maxBytes() != b.records().maxBytes()) {
            out.add("recordMaxBytes");
        }
        if (a.records().keepFiles() != b.records().keepFiles()) {
            out.add("recordKeepFiles");
        }
        if (!a.jmx().equals(b.jmx())) {
            out.add("jmx*");
        }
        return out;
    }

    /** The current value of a config key (runtime-mutable), for messages and tests. */
    static Object value(GovernorSettings s, String key) {
        Function<GovernorSettings, Object> f = TUNABLES.get(key);
        if (f == null) {
            throw new IllegalArgumentException("key: expected one of " + TUNABLES.keySet() + ", got " + key);
        }
        return f.apply(s);
    }
}
