// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import io.migov.governor.Governor;
import io.migov.governor.GovernorStats;
import org.weakref.jmx.Managed;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code io.migov:type=Governor,name=State}: what the governor is doing (read-only counters since
 * the daemon started), and the steering switch ({@link #pauseSteering()}, {@link #resumeSteering()}).
 */
public final class GovernorStateBean {

    private final Governor governor;
    private final String version;
    private final long startMillis;
    private final LongSupplier wallMillis;
    private final Supplier<String> remoteUrl;
    private final String libvirtUri;

    GovernorStateBean(Governor governor, String libvirtUri, String version, LongSupplier wallMillis, Supplier<String> remoteUrl) {
        this.governor = governor;
        this.libvirtUri = libvirtUri;
        this.version = version;
        this.wallMillis = wallMillis;
        this.startMillis = wallMillis.getAsLong();
        this.remoteUrl = remoteUrl;
    }

    private GovernorStats stats() {
        return governor.stats();
    }

    @Managed(description = "migov version of the daemon (text)")
    public String getVersion() {
        return version;
    }

    @Managed(description = "Time since the daemon's management plane started (seconds)")
    public long getUptimeSeconds() {
        return (wallMillis.getAsLong() - startMillis) / 1000;
    }

    @Managed(description = "libvirt connection URI of this host (text, startup-only)")
    public String getLibvirtUri() {
        return libvirtUri;
    }

    @Managed(description = "Whether the libvirt connection is usable now (true/false); while false the daemon reconnects with backoff")
    public boolean isLibvirtConnected() {
        return stats().connected();
    }

    @Managed(description = "VMs profiled on this host now (count)")
    public int getVmsProfiled() {
        return stats().vms();
    }

    @Managed(description = "Profiler ticks run since start, one per second (count)")
    public long getTicks() {
        return stats().ticks();
    }

    @Managed(description = "Profiler ticks skipped because the previous tick overran its second (count)")
    public long getMissedTicks() {
        return stats().missedTicks();
    }

    @Managed(description = "Outgoing migrations seen since start (count)")
    public long getMigrationsSeen() {
        return stats().migrationsSeen();
    }

    @Managed(description = "Migrations migov acted on since start: post-copy switches plus downtime raises (count)")
    public long getMigrationsSteered() {
        return stats().migrationsSteered();
    }

    @Managed(description = "Switches to post-copy carried out since start (count)")
    public long getSwitches() {
        return stats().switches();
    }

    @Managed(description = "Fallbacks since start: migrations whose max downtime the policy set, e.g. migov when post-copy was not "
            + "permitted, nova at its steps (count)")
    public long getFallbacks() {
        return stats().fallbacks();
    }

    @Managed(description = "Errors since start: failed actions, record writes and checkpoints (count)")
    public long getErrors() {
        return stats().errors();
    }

    @Managed(description = "Dirty-rate calculations started since start, to measure write intensity (count)")
    public long getDirtyRateCalcsStarted() {
        return stats().dirtyRateCalcsStarted();
    }

    @Managed(description = "Dirty-rate calculations that delivered a rate (count)")
    public long getDirtyRateCalcsMeasured() {
        return stats().dirtyRateCalcsMeasured();
    }

    @Managed(description = "Dirty-rate calculations that could not be started or read (count; details at debug level)")
    public long getDirtyRateCalcsFailed() {
        return stats().dirtyRateCalcsFailed();
    }

    @Managed(description = "Post-copy failures seen since start: VMs libvirt paused after giving up their post-copy migration, "
            + "each with its memory split between two hosts (count)")
    public long getPostCopyFailures() {
        return stats().postcopyFailures();
    }

    @Managed(description = "VMs on this host paused now because their post-copy migration failed (names, comma-separated; empty "
            + "when none): each needs an operator; migov leaves them paused and never destroys them")
    public String getVmsPausedPostCopyFailed() {
        return String.join(",", governor.vmsPausedPostCopyFailed());
    }

    @Managed(description = "Outgoing migrations being watched now (count)")
    public int getMigrationsActive() {
        return governor.activeMigrations().size();
    }

    @Managed(description = "Whether steering is paused (true/false): decisions are logged and recorded, no action is carried out")
    public boolean isSteeringPaused() {
        return governor.steeringPaused();
    }

    @Managed(description = "URL of the remote JMX connector server (text; empty when remote JMX is off)")
    public String getRemoteJmxUrl() {
        return remoteUrl.get();
    }

    @Managed(description = "Pause steering: keep watching, deciding and recording migrations, carry out no action "
            + "(idempotent; returns what it did)")
    public String pauseSteering() {
        return governor.pauseSteering() ? "steering paused" : "steering was already paused";
    }

    @Managed(description = "Resume steering after pauseSteering (idempotent; returns what it did)")
    public String resumeSteering() {
        return governor.resumeSteering() ? "steering resumed" : "steering was not paused";
    }
}
