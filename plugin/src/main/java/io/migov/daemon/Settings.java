// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import io.migov.core.ControllerSettings;
import io.migov.core.ConvergenceSettings;
import io.migov.core.guard.GuardSettings;
import io.migov.core.policy.Policies;
import io.migov.core.storage.HysteresisSettings;
import io.migov.core.storage.PidSettings;
import io.migov.core.storage.PrefetchSettings;
import io.migov.governor.GovernorSettings;
import io.migov.governor.Mode;
import io.migov.governor.StorageSettings;
import io.migov.governor.WriteSampling;
import io.migov.storage.InterferenceModelFile;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The catalogue: every configuration key declared once, in the order of {@code docs/configuration.md}.
 * {@link DaemonConfig} parses the file from it (known keys, their JSON types, which may be null,
 * suggestions for misspelt ones), the tunables MBean shows and sets its attributes from it
 * (descriptions, units, bounds, defaults; runtime-mutable read-write, startup-only read-only) and a
 * test renders the documentation's table from it ({@link #markdownTable()}) and compares.
 *
 * <p>The split follows HikariCP's config/MXBean split: startup-only keys build the daemon once
 * ({@link DaemonConfig}); runtime-mutable keys are the immutable {@link GovernorSettings} the
 * governor reads on every tick, replaced whole through the management plane. Bounds are checked by
 * those records alone, so the file and JMX give the same message.
 */
public final class Settings {

    private Settings() {
    }

    static final Setting<String> CONNECT = Setting.startup("connect", String.class,
            "URI", "`qemu:///system`", "a URI with a scheme, no spaces",
            "libvirt connection URI, e.g. `qemu+tcp://10.77.0.1/system` for a lab host",
            false, String.class, DaemonConfig::connect);

    static final Setting<String[]> PEERS = Setting.startup("peers", String[].class,
            "URIs", "`[]` (none)", "each a libvirt URI with a scheme, no spaces, no repeats; at most 64",
            "libvirt URIs of the hosts this host migrates VMs to, e.g. `[\"qemu+tcp://10.77.0.2/system\"]`, asked read-only "
            + "where a VM went when it left this host during a watched migration and libvirt here kept no trace of how "
            + "(a transient domain, or one undefined on success, while the daemon was restarting): the migration is "
            + "recorded `completed` only when a peer has the VM running. Without peers such a migration is `unknown`. "
            + "An entry equal to `connect` is skipped",
            false, String.class, c -> c.peers().toString());

    static final Setting<String> STATE_DIR = Setting.startup("stateDir", String.class,
            "path", "`/var/lib/migov`", "must be creatable and writable",
            "directory of the model checkpoints (`models/<uuid>.json`), the in-flight journals (`inflight/`) and `migrations.jsonl`; created (mode "
            + "0750) if missing; a relative path is taken from the working directory",
            false, String.class, c -> c.stateDir().toString());

    static final Setting<String> SPOOL_DIR = Setting.startup("spoolDir", String.class,
            "path", "`<stateDir>/spool`", "must be creatable and writable",
            "directory the libvirt hook (`/etc/libvirt/hooks/qemu.d/migov`) writes into: one file per libvirt "
            + "operation, and the model of a VM migrating in, handed to the governor before the VM arrives; read "
            + "and emptied as files appear (at least once a second); created (mode 0750) if missing. Must be the "
            + "hook's `spool_dir` (default `/var/lib/migov/spool`, see [hooks/README.md](../hooks/README.md))",
            false, null, c -> c.spoolDir().toString());

    static final Setting<String> MODE = Setting.runtime("mode", String.class,
            "—", "`enforce`", "`enforce`, `advise`, `off`",
            "`enforce`: decide and act on migrations; `advise`: decide and log, touch nothing; `off`: profile "
            + "only",
            s -> s.mode().configName(),
            (s, v) -> s.withMode(Mode.parse("mode", v)));

    static final Setting<Integer> LOOK_AHEAD = Setting.runtime("lookAhead", Integer.class,
            "steps (seconds)", "5", "1..1000",
            "n: steps predicted at migration start",
            GovernorSettings::lookAhead,
            (s, v) -> governor(s, v, s.linkCapacityBitsPerSecond(), s.modelSyncIntervalSeconds(),
                    s.checkpointIntervalSeconds()));

    static final Setting<Integer> MAX_ITERATIONS = Setting.runtime("maxIterations", Integer.class,
            "passes", "4", "1..1000",
            "m: switch (or raise downtime) at this pre-copy pass at the latest",
            s -> s.controller().maxIterations(),
            (s, v) -> controller(s, c -> new ControllerSettings(v, c.memoryIntensiveShare(),
                    c.fallbackMaxDowntimeMillis())));

    static final Setting<Double> MEMORY_INTENSIVE_SHARE = Setting.runtime("memoryIntensiveShare", Double.class,
            "fraction", "0.5", "(0, 1]",
            "the look-ahead counts as memory-intensive when at least this share of its steps is",
            s -> s.controller().memoryIntensiveShare(),
            (s, v) -> controller(s, c -> new ControllerSettings(c.maxIterations(), v, c.fallbackMaxDowntimeMillis())));

    static final Setting<Long> FALLBACK_MAX_DOWNTIME_MILLIS = Setting.runtime("fallbackMaxDowntimeMillis", Long.class,
            "ms", "5000", "1..2000000",
            "cap on the downtime raised when post-copy is not permitted",
            s -> s.controller().fallbackMaxDowntimeMillis(),
            (s, v) -> controller(s, c -> new ControllerSettings(c.maxIterations(), c.memoryIntensiveShare(), v)));

    static final Setting<Double> NOISE_MARGIN_PERCENT = Setting.runtime("noiseMarginPercent", Double.class,
            "%", "4", "[0, 100)",
            "changes smaller than this share of the previous value are noise (dirty-rate trend, stall detection)",
            s -> s.convergence().noiseMarginPercent(),
            (s, v) -> convergence(s, c -> new ConvergenceSettings(v, c.stallWindowIterations(),
                    c.patienceIterations(), c.completionPasses(), c.pageSizeBytes())));

    static final Setting<Integer> STALL_WINDOW_ITERATIONS = Setting.runtime("stallWindowIterations", Integer.class,
            "passes", "1", "1..100",
            "a pass is compared with the best remaining bytes of passes at least this many passes earlier",
            s -> s.convergence().stallWindowIterations(),
            (s, v) -> convergence(s, c -> new ConvergenceSettings(c.noiseMarginPercent(), v, c.patienceIterations(),
                    c.completionPasses(), c.pageSizeBytes())));

    static final Setting<Integer> PATIENCE_ITERATIONS = Setting.runtime("patienceIterations", Integer.class,
            "passes", "1", "0..100",
            "once stalled, wait at most this many passes for a local minimum before declaring the convergence "
            + "point",
            s -> s.convergence().patienceIterations(),
            (s, v) -> convergence(s, c -> new ConvergenceSettings(c.noiseMarginPercent(), c.stallWindowIterations(),
                    v, c.completionPasses(), c.pageSizeBytes())));

    static final Setting<Integer> COMPLETION_PASSES = Setting.runtime("completionPasses", Integer.class,
            "passes", "2", "0..10",
            "WILL_COMPLETE when the remaining data fits the allowed downtime now or within this many passes",
            s -> s.convergence().completionPasses(),
            (s, v) -> convergence(s, c -> new ConvergenceSettings(c.noiseMarginPercent(), c.stallWindowIterations(),
                    c.patienceIterations(), v, c.pageSizeBytes())));

    static final Setting<Integer> PAGE_SIZE_BYTES = Setting.runtime("pageSizeBytes", Integer.class,
            "bytes", "4096", "power of two ≥ 512",
            "guest page size for the dirty-rate projection",
            s -> s.convergence().pageSizeBytes(),
            (s, v) -> convergence(s, c -> new ConvergenceSettings(c.noiseMarginPercent(), c.stallWindowIterations(),
                    c.patienceIterations(), c.completionPasses(), v)));

    static final Setting<Long> LINK_CAPACITY_BITS_PER_SECOND = Setting.runtime("linkCapacityBitsPerSecond", Long.class,
            "bit/s", "1000000000 (1 Gbit/s)", "10⁶..10¹²",
            "capacity that net in/out percentages are measured against",
            GovernorSettings::linkCapacityBitsPerSecond,
            (s, v) -> governor(s, s.lookAhead(), v, s.modelSyncIntervalSeconds(), s.checkpointIntervalSeconds()));

    static final Setting<String> STATE_SPACE = Setting.startup("stateSpace", String.class,
            "—", "`write`", "`usage`, `write`, `usage+write`",
            "which resources make up a VM's state (most significant first): `usage` = cpu, mem, net_in, net_out "
            + "(the research's; mem is memory in use), `write` = cpu, write, net_in, net_out (write intensity in "
            + "place of memory use), `usage+write` = cpu, mem, write, net_in, net_out (243 states). Where `write` "
            + "is modelled, *it* decides \"memory-intensive\" (top write level), memory use does not — see the "
            + "README's decision core. Changing it makes existing checkpoints unusable, like `thresholds`",
            false, String.class, c -> c.stateSpace().configName());

    static final Setting<DaemonConfig.Thresholds> THRESHOLDS = Setting.startup("thresholds", DaemonConfig.Thresholds.class,
            "%", "`[25, 50]` each", "each in (0, 100]; ≤ 1000000 states",
            "the state scheme: an object keyed by the state space's resources (`cpu`, `mem`, `write`, `net_in`, "
            + "`net_out`; a resource outside `stateSpace` is an error), each a list of strictly ascending "
            + "percentages; a resource left out keeps `[25, 50]`, an empty list `[]` leaves it out of the scheme "
            + "(at least one must stay). States = product of (thresholds + 1): 81 by default. Changing it makes "
            + "existing checkpoints and VM metadata (written for the old state count) unusable: VMs start fresh "
            + "models",
            false, String.class, c -> c.discretiser().toString());

    static final Setting<Integer> DIRTY_RATE_INTERVAL_SECONDS = Setting.runtime("dirtyRateIntervalSeconds", Integer.class,
            "s", "10", "0, 1..3600",
            "write intensity: each VM's dirty rate is measured (libvirt's page-sampling dirty-rate calculation) "
            + "at most once per interval, the host's VMs in turn (⌈VMs ÷ interval⌉ started per second), never while "
            + "the VM migrates; between measurements the last value holds. 0 = off (write stays 0)",
            s -> s.writeSampling().dirtyRateIntervalSeconds(),
            (s, v) -> s.withWriteSampling(new WriteSampling(v, s.writeSampling().dirtyRateCalcSeconds(),
                    s.writeSampling().migrationBandwidthBytesPerSecond(), s.writeSampling().dirtyRateMaxCalcsPerSecond())));

    static final Setting<Integer> DIRTY_RATE_CALC_SECONDS = Setting.runtime("dirtyRateCalcSeconds", Integer.class,
            "s", "1", "1..60, below `dirtyRateIntervalSeconds`",
            "length of one dirty-rate calculation (QEMU compares sampled pages over it)",
            s -> s.writeSampling().dirtyRateCalcSeconds(),
            (s, v) -> s.withWriteSampling(new WriteSampling(s.writeSampling().dirtyRateIntervalSeconds(), v,
                    s.writeSampling().migrationBandwidthBytesPerSecond(), s.writeSampling().dirtyRateMaxCalcsPerSecond())));

    static final Setting<Long> MIGRATION_BANDWIDTH_BYTES_PER_SECOND = Setting.runtime("migrationBandwidthBytesPerSecond", Long.class,
            "bytes/s", "0", "0, 1..10¹²",
            "the bandwidth write intensity refers to: write = dirty bytes/s ÷ this × 100, capped at 100, so "
            + "\"high\" (≥ 50 % by default) means a migration could not send pages much faster than the guest dirties "
            + "them. 0 = `linkCapacityBitsPerSecond` / 8",
            s -> s.writeSampling().migrationBandwidthBytesPerSecond(),
            (s, v) -> s.withWriteSampling(new WriteSampling(s.writeSampling().dirtyRateIntervalSeconds(),
                    s.writeSampling().dirtyRateCalcSeconds(), v, s.writeSampling().dirtyRateMaxCalcsPerSecond())));

    static final Setting<Double> DIRTY_RATE_MAX_CALCS_PER_SECOND = Setting.runtime("dirtyRateMaxCalcsPerSecond", Double.class,
            "1/s", "1", "0.01..1000",
            "host-wide cap on the dirty-rate calculations started per second, whatever the VM count: each costs ≈ 7 ms "
            + "of CPU (QEMU, libvirtd and migov together, docs/evaluation/overhead.md), so 1/s keeps write sampling near "
            + "0.7 % of one core on any host; with more than cap × `dirtyRateIntervalSeconds` VMs, each VM is measured "
            + "less often than the interval",
            s -> s.writeSampling().dirtyRateMaxCalcsPerSecond(),
            (s, v) -> s.withWriteSampling(s.writeSampling().withMaxCalcsPerSecond(v)));

    static final Setting<String> PRIOR_FILE = Setting.startup("priorFile", String.class,
            "path", "`null` (uniform)", "readable, valid, N×N, same scheme",
            "prior transition matrix (`{\"format\":\"migov-prior\",\"version\":1,\"scheme\":\"…\",\"matrix\":[[…],…]}`, N×N for the "
            + "scheme's N states, rows sum to 1; a file that names its `scheme`, as `migov prior` writes, must name this "
            + "config's `stateSpace` and `thresholds`); `null` = uniform. A relative path is taken from the config file's "
            + "directory",
            true, String.class, c -> path(c.priorFile()));

    static final Setting<Double> PRIOR_WEIGHT = Setting.startup("priorWeight", Double.class,
            "counts", "0", "finite, ≥ 0",
            "pseudo-counts given to the prior once a row has observations (0: observations replace the prior)",
            false, Double.class, DaemonConfig::priorWeight);

    static final Setting<Integer> MODEL_SYNC_INTERVAL_SECONDS = Setting.runtime("modelSyncIntervalSeconds", Integer.class,
            "s", "30", "1..86400",
            "how often each VM's model is written to its domain metadata (so it travels with the VM)",
            GovernorSettings::modelSyncIntervalSeconds,
            (s, v) -> governor(s, s.lookAhead(), s.linkCapacityBitsPerSecond(), v, s.checkpointIntervalSeconds()));

    static final Setting<Integer> CHECKPOINT_INTERVAL_SECONDS = Setting.runtime("checkpointIntervalSeconds", Integer.class,
            "s", "60", "1..86400",
            "how often each VM's model is checkpointed to `stateDir/models/`",
            GovernorSettings::checkpointIntervalSeconds,
            (s, v) -> governor(s, s.lookAhead(), s.linkCapacityBitsPerSecond(), s.modelSyncIntervalSeconds(), v));

    static final Setting<String> POLICY = Setting.runtime("policy", String.class,
            "—", "`migov`",
            "`migov`, `algorithm1`, `precopy`, `postcopy-after-precopy`, `hybrid(m)`, `always-postcopy`, `nova`, "
            + "`nova-force-complete`, `kubevirt-stall`",
            "the migration policy that steers each migration from its start (a change applies to migrations that "
            + "start afterwards): `migov` (Algorithm 1 with the convergence detector), `algorithm1` (the research's "
            + "rule literally), `precopy` (never act), `postcopy-after-precopy`, `hybrid(m)` (switch at pass m, m "
            + "1..1000), `always-postcopy`, `nova`, `nova-force-complete`, `kubevirt-stall` — each defined in the "
            + "README's policy table",
            GovernorSettings::policy,
            (s, v) -> s.withPolicy(Policies.canonical(v), s.kubevirtStallWindowSeconds()));

    static final Setting<Integer> KUBEVIRT_STALL_WINDOW_SECONDS = Setting.runtime("kubevirtStallWindowSeconds",
            Integer.class,
            "s", "40", "1..3600",
            "the `kubevirt-stall` policy's window: remaining bytes must make a new low (by more than 4 %) within "
            + "it",
            GovernorSettings::kubevirtStallWindowSeconds,
            (s, v) -> s.withPolicy(s.policy(), v));

    static final Setting<Integer> KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB = Setting.runtime("kubevirtCompletionTimeoutPerGiB",
            Integer.class,
            "s/GB", "150", "1..86400",
            "the `kubevirt-stall` policy's budget (KubeVirt's `completionTimeoutPerGiB`), per GB of memory counted as "
            + "KubeVirt does (decimal GB, rounded up): past it, post-copy if the transfer fits before twice the budget, "
            + "else abort",
            GovernorSettings::kubevirtCompletionTimeoutPerGiB,
            GovernorSettings::withKubevirtCompletionTimeoutPerGiB);

    // ------------------------------------------------------------------ the guard before a post-copy switch (issue 12)

    static final Setting<Boolean> POSTCOPY_GUARD = Setting.runtime("postcopyGuard", Boolean.class,
            "—", "`true`", "`true`, `false`",
            "hold any policy's post-copy switch while the link between the hosts looks unhealthy "
            + "(`postcopyGuardStallMillis`, `postcopyGuardCollapseShare`) or the remaining transfer cannot finish "
            + "within `postcopyGuardBudgetFactor` budgets (KubeVirt's check); a held switch goes as soon as both pass. "
            + "`false`: every switch goes when the policy decides it",
            s -> s.guard().enabled(),
            (s, v) -> guard(s, g -> g.withEnabled(v)));

    static final Setting<Integer> POSTCOPY_GUARD_SECONDS_PER_GIB = Setting.runtime("postcopyGuardSecondsPerGiB", Integer.class,
            "s/GiB", "150", "1..86400",
            "the migration's budget per GiB of memory to move (KubeVirt's `completionTimeoutPerGiB`), rounded up to whole GiB",
            s -> s.guard().secondsPerGiB(),
            (s, v) -> guard(s, g -> new GuardSettings(g.enabled(), v, g.budgetFactor(), g.stallMillis(), g.collapseShare())));

    static final Setting<Double> POSTCOPY_GUARD_BUDGET_FACTOR = Setting.runtime("postcopyGuardBudgetFactor", Double.class,
            "budgets", "2", "1..100",
            "a switch is held when the bytes remaining at the pass start, at the EWMA of QEMU's transfer rate, take "
            + "longer than what is left of this many budgets since the migration started",
            s -> s.guard().budgetFactor(),
            (s, v) -> guard(s, g -> new GuardSettings(g.enabled(), g.secondsPerGiB(), v, g.stallMillis(), g.collapseShare())));

    static final Setting<Long> POSTCOPY_GUARD_STALL_MILLIS = Setting.runtime("postcopyGuardStallMillis", Long.class,
            "ms", "3000", "1000..600000",
            "the link looks unhealthy when no byte was sent for this long (libvirt's bytes processed, not QEMU's rate, "
            + "which can stay at its last value on a dead socket); also the window of `postcopyGuardCollapseShare`",
            s -> s.guard().stallMillis(),
            (s, v) -> guard(s, g -> new GuardSettings(g.enabled(), g.secondsPerGiB(), g.budgetFactor(), v, g.collapseShare())));

    static final Setting<Double> POSTCOPY_GUARD_COLLAPSE_SHARE = Setting.runtime("postcopyGuardCollapseShare", Double.class,
            "fraction", "0.1", "(0, 1)",
            "the link looks unhealthy when the rate over the last `postcopyGuardStallMillis` is below this share of the "
            + "median rate of the last 30 s, in two readings in a row",
            s -> s.guard().collapseShare(),
            (s, v) -> guard(s, g -> new GuardSettings(g.enabled(), g.secondsPerGiB(), g.budgetFactor(), g.stallMillis(), v)));

    // ------------------------------------------------------------------ storage migration (issue 11, docs/storage/)

    static final Setting<String> STORAGE_DEVICE = Setting.startup("storageDevice", String.class,
            "device name", "`null` (off)", "a name in `/proc/diskstats` (letters, digits, `.`, `_`, `-`), e.g. `sda`, `nvme0n1`, `dm-0`",
            "the block device backing the VM disks: its `/proc/diskstats` counters are read every second into host I/O "
            + "samples (IOPS, io ticks, throughput, utilisation) that classify interference and steer the disk copy of "
            + "storage migrations ([docs/storage/](storage/README.md)). `null`: no collector, no storage steering — nothing "
            + "else changes",
            true, String.class, c -> c.storageDevice() == null ? "" : c.storageDevice());

    static final Setting<String> INTERFERENCE_MODEL = Setting.runtime("interferenceModel", String.class,
            "path", "`null` (the research's coefficients)", "a model file written by `migov train`",
            "the interference classifier: a logistic-regression model from `migov train --out`; `null` or `\"\"`: the "
            + "research's published coefficients. A relative path is taken from the working directory (from the file and "
            + "over JMX alike); `reloadConfig` or a JMX set loads a new model without a restart",
            true, s -> s.storage().interferenceModel(),
            (s, v) -> {
                String path = v == null ? "" : v;
                return storage(s, st -> st.withModel(path, InterferenceModelFile.load(path)));
            });

    static final Setting<Double> INTERFERENCE_ON_PROBABILITY = Setting.runtime("interferenceOnProbability", Double.class,
            "probability", "0.5", "(0, 1], above `interferenceOffProbability`",
            "a second counts towards \"interference on\" when the classifier's probability is at least this",
            s -> s.storage().hysteresis().onProbability(),
            (s, v) -> storage(s, st -> st.withHysteresis(StorageSettings.hysteresis(v, st.hysteresis().onSeconds(),
                    st.hysteresis().offProbability(), st.hysteresis().offSeconds(), true))));

    static final Setting<Integer> INTERFERENCE_ON_SECONDS = Setting.runtime("interferenceOnSeconds", Integer.class,
            "s", "2", "1..3600",
            "consecutive such seconds that switch interference on (the research's lock count)",
            s -> s.storage().hysteresis().onSeconds(),
            (s, v) -> hysteresis(s, h -> new HysteresisSettings(h.onProbability(), v, h.offProbability(), h.offSeconds())));

    static final Setting<Double> INTERFERENCE_OFF_PROBABILITY = Setting.runtime("interferenceOffProbability", Double.class,
            "probability", "0.15", "[0, 1), below `interferenceOnProbability`",
            "a second counts towards \"interference off\" when the probability is at most this",
            s -> s.storage().hysteresis().offProbability(),
            (s, v) -> hysteresis(s, h -> new HysteresisSettings(h.onProbability(), h.onSeconds(), v, h.offSeconds())));

    static final Setting<Integer> INTERFERENCE_OFF_SECONDS = Setting.runtime("interferenceOffSeconds", Integer.class,
            "s", "3", "1..3600",
            "consecutive such seconds that switch interference off (the research's unlock count); prefetching runs only "
            + "while it is off",
            s -> s.storage().hysteresis().offSeconds(),
            (s, v) -> hysteresis(s, h -> new HysteresisSettings(h.onProbability(), h.onSeconds(), h.offProbability(), v)));

    static final Setting<Double> INTERFERENCE_THRESHOLD_PROBABILITY = Setting.runtime("interferenceThresholdProbability",
            Double.class,
            "probability", "0.5", "(0, 1)",
            "the interference probability the PID holds the host at: below it the disk copy speeds up, above it slows down "
            + "(0.75 trades more interference for a faster copy)",
            s -> s.storage().pid().thresholdProbability(),
            (s, v) -> pid(s, p -> new PidSettings(p.kpBytesPerSecond(), p.kiBytesPerSecondSquared(), p.kdBytes(), v,
                    p.minBytesPerSecond(), p.maxBytesPerSecond())));

    static final Setting<Double> STORAGE_KP_BYTES_PER_SECOND = Setting.runtime("storageKpBytesPerSecond", Double.class,
            "bytes/s per percentage point of error", "2000000", "finite, ≥ 0",
            "the interference-PID's proportional gain (error = 100 × (threshold − probability), in percentage points; output = copy speed)",
            s -> s.storage().pid().kpBytesPerSecond(),
            (s, v) -> pid(s, p -> new PidSettings(v, p.kiBytesPerSecondSquared(), p.kdBytes(), p.thresholdProbability(),
                    p.minBytesPerSecond(), p.maxBytesPerSecond())));

    static final Setting<Double> STORAGE_KI_BYTES_PER_SECOND_SQUARED = Setting.runtime("storageKiBytesPerSecondSquared",
            Double.class,
            "bytes/s per percentage point per s", "500000", "finite, ≥ 0",
            "the interference-PID's integral gain: how fast a sustained error moves the copy speed",
            s -> s.storage().pid().kiBytesPerSecondSquared(),
            (s, v) -> pid(s, p -> new PidSettings(p.kpBytesPerSecond(), v, p.kdBytes(), p.thresholdProbability(),
                    p.minBytesPerSecond(), p.maxBytesPerSecond())));

    static final Setting<Double> STORAGE_KD_BYTES = Setting.runtime("storageKdBytes", Double.class,
            "bytes per percentage point", "60000", "finite, ≥ 0",
            "the interference-PID's derivative gain (on the measured probability, so a threshold change is no kick)",
            s -> s.storage().pid().kdBytes(),
            (s, v) -> pid(s, p -> new PidSettings(p.kpBytesPerSecond(), p.kiBytesPerSecondSquared(), v, p.thresholdProbability(),
                    p.minBytesPerSecond(), p.maxBytesPerSecond())));

    static final Setting<Long> STORAGE_MIN_BYTES_PER_SECOND = Setting.runtime("storageMinBytesPerSecond", Long.class,
            "bytes/s", "1048576 (1 MiB/s)", "1..10¹², ≤ `storageMaxBytesPerSecond`",
            "the disk copy never goes slower, so it always finishes",
            s -> (long) s.storage().pid().minBytesPerSecond(),
            (s, v) -> storage(s, st -> st.withPid(StorageSettings.withSpeeds(st.pid(), v, (long) st.pid().maxBytesPerSecond(), true))));

    static final Setting<Long> STORAGE_MAX_BYTES_PER_SECOND = Setting.runtime("storageMaxBytesPerSecond", Long.class,
            "bytes/s", "104857600 (100 MiB/s)", "1..10¹², ≥ `storageMinBytesPerSecond`",
            "the disk copy never goes faster; also its speed when a storage migration is first seen without a rate limit",
            s -> (long) s.storage().pid().maxBytesPerSecond(),
            (s, v) -> storage(s, st -> st.withPid(StorageSettings.withSpeeds(st.pid(), (long) st.pid().minBytesPerSecond(), v, false))));

    static final Setting<Double> PREFETCH_FACTOR = Setting.runtime("prefetchFactor", Double.class,
            "× copy speed", "50", "[0, 10000]",
            "in clearly quiet seconds until a neighbour is first seen in the copy (a second at or above "
            + "`interferenceOnProbability`); quiet: interference off and the probability at most `interferenceOffProbability`; "
            + "enforce mode only. The not yet copied part of each disk image is read into the page cache ahead of the copy at this multiple "
            + "of the copy speed; 0 = no prefetch",
            s -> s.storage().prefetch().prefetchFactor(),
            (s, v) -> prefetch(s, p -> new PrefetchSettings(v, p.memoryCapBytes())));

    static final Setting<Long> PREFETCH_MEMORY_CAP_BYTES = Setting.runtime("prefetchMemoryCapBytes", Long.class,
            "bytes", "1073741824 (1 GiB)", "≥ 0",
            "at most this many bytes read ahead of the copy and not yet copied, per disk, so the copy's page cache does "
            + "not push out the guests'; 0 = no prefetch",
            s -> s.storage().prefetch().memoryCapBytes(),
            (s, v) -> prefetch(s, p -> new PrefetchSettings(p.prefetchFactor(), v)));

    static final Setting<Long> RECORD_MAX_BYTES = Setting.startup("recordMaxBytes", Long.class,
            "bytes", "10485760 (10 MiB)", "4096..2⁴⁰",
            "`migrations.jsonl` is rotated (`→ .1 → .2 …`) before a record would take it past this size",
            false, Long.class, c -> c.records().maxBytes());

    static final Setting<Integer> RECORD_KEEP_FILES = Setting.startup("recordKeepFiles", Integer.class,
            "files", "5", "0..100",
            "rotated files kept besides the current one (`migrations.jsonl.1` is the newest); 0 drops old records "
            + "at rotation",
            false, Integer.class, c -> c.records().keepFiles());

    static final Setting<Boolean> DWELL_AWARE = Setting.startup("dwellAware", Boolean.class,
            "—", "`true`", "`true`, `false`",
            "look ahead over (state, how long it has lasted): each model also counts what followed a state once it "
            + "had lasted d samples (d ≤ 120), blended with the state's ordinary row as one pseudo-observation, so a "
            + "phase that ends after about the same time each round is predicted to end (docs/evaluation/signal/dwell.md). "
            + "`false` = the research's first-order v·Pⁿ",
            false, Boolean.class, DaemonConfig::dwellAware);

    static final Setting<Boolean> JMX_REMOTE = Setting.startup("jmxRemote", Boolean.class,
            "—", "`false`", "`true`, `false`",
            "start the remote JMX connector server ([management.md](management.md)); local tools (the `migov` CLI "
            + "as root, JConsole on the host) attach without it",
            false, Boolean.class, c -> c.jmx().remote());

    static final Setting<String> JMX_BIND_ADDRESS = Setting.startup("jmxBindAddress", String.class,
            "IP address or host name", "`127.0.0.1`", "no spaces",
            "address the remote JMX ports listen on (`0.0.0.0`: every interface, logged as a warning)",
            false, String.class, c -> c.jmx().bindAddress());

    static final Setting<Integer> JMX_REGISTRY_PORT = Setting.startup("jmxRegistryPort", Integer.class,
            "TCP port", "9010", "1..65535",
            "the RMI registry's port: the one in the JMX URL `service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi`",
            false, Integer.class, c -> c.jmx().registryPort());

    static final Setting<Integer> JMX_SERVER_PORT = Setting.startup("jmxServerPort", Integer.class,
            "TCP port", "9011", "1..65535, ≠ `jmxRegistryPort`",
            "the RMI server's port (fixed, so that a firewall can allow it)",
            false, Integer.class, c -> c.jmx().serverPort());

    static final Setting<String> JMX_PASSWORD_FILE = Setting.startup("jmxPasswordFile", String.class,
            "path", "`null`", "readable, mode 0600 or stricter",
            "`user password` per line (`#` comments); required when `jmxRemote` is true unless `jmxAuthenticate` "
            + "is false; must be readable by its owner only (`chmod 600`). A relative path is taken from the config "
            + "file's directory",
            true, null, c -> path(c.jmx().passwordFile()));

    static final Setting<String> JMX_ACCESS_FILE = Setting.startup("jmxAccessFile", String.class,
            "path", "`null`", "readable",
            "`user readonly` or `user readwrite` per line (the JDK's format); `null`: every authenticated user "
            + "may read and write",
            true, null, c -> path(c.jmx().accessFile()));

    static final Setting<Boolean> JMX_AUTHENTICATE = Setting.startup("jmxAuthenticate", Boolean.class,
            "—", "`true`", "`true`, `false`",
            "`false` runs remote JMX without authentication — only on purpose, and a warning is logged at every "
            + "start",
            false, Boolean.class, c -> c.jmx().authenticate());

    static final Setting<Boolean> JMX_TLS = Setting.startup("jmxTls", Boolean.class,
            "—", "`false`", "`true`, `false`; needs `jmxKeyStore` and `jmxKeyStorePasswordFile`",
            "TLS on both remote JMX ports (clients: `migov … --tls`, trusting the certificate through "
            + "`-Djavax.net.ssl.trustStore`)",
            false, Boolean.class, c -> c.jmx().tls());

    static final Setting<String> JMX_KEY_STORE = Setting.startup("jmxKeyStore", String.class,
            "path", "`null`", "readable PKCS12",
            "PKCS12 key store holding the server's key and certificate (with `jmxTls`)",
            true, null, c -> path(c.jmx().keyStore()));

    static final Setting<String> JMX_KEY_STORE_PASSWORD_FILE = Setting.startup("jmxKeyStorePasswordFile", String.class,
            "path", "`null`", "readable, mode 0600 or stricter",
            "file whose first line is the key store's password (with `jmxTls`); owner-only like `jmxPasswordFile`",
            true, null, c -> path(c.jmx().keyStorePasswordFile()));

    static final Setting<Boolean> JMX_TLS_CLIENT_AUTH = Setting.startup("jmxTlsClientAuth", Boolean.class,
            "—", "`false`", "`true`, `false`; needs `jmxTls`, `jmxTrustStore` and `jmxTrustStorePasswordFile`",
            "TLS clients must also present a certificate that `jmxTrustStore` trusts (clients: "
            + "`-Djavax.net.ssl.keyStore`); the password is still required",
            false, Boolean.class, c -> c.jmx().tlsClientAuth());

    static final Setting<String> JMX_TRUST_STORE = Setting.startup("jmxTrustStore", String.class,
            "path", "`null`", "readable PKCS12 with at least one certificate",
            "PKCS12 store of the client certificates (or of the CA that signs them) to accept (with "
            + "`jmxTlsClientAuth`)",
            true, null, c -> path(c.jmx().trustStore()));

    static final Setting<String> JMX_TRUST_STORE_PASSWORD_FILE = Setting.startup("jmxTrustStorePasswordFile", String.class,
            "path", "`null`", "readable, mode 0600 or stricter",
            "file whose first line is the trust store's password (with `jmxTlsClientAuth`); owner-only like "
            + "`jmxPasswordFile`",
            true, null, c -> path(c.jmx().trustStorePasswordFile()));

    static final Setting<String> PROMETHEUS_ADDRESS = Setting.startup("prometheusAddress", String.class,
            "host:port", "`null` (off)", "`host:port`, port 1..65535 (IPv6: `[::1]:9464`); `null` or `\"\"`: off",
            "serve the metrics ([management.md](management.md#prometheus)) in Prometheus' text format at "
            + "`http://host:port/metrics` (no authentication: bind a loopback or management address; `0.0.0.0` "
            + "logs a warning)",
            true, String.class, c -> c.prometheusAddress() == null ? "" : c.prometheusAddress().toString());

    /** Every key, in the order of the documentation. */
    public static final List<Setting<?>> ALL = List.of(CONNECT, PEERS, STATE_DIR, SPOOL_DIR, MODE, LOOK_AHEAD, MAX_ITERATIONS,
            MEMORY_INTENSIVE_SHARE, FALLBACK_MAX_DOWNTIME_MILLIS, NOISE_MARGIN_PERCENT, STALL_WINDOW_ITERATIONS,
            PATIENCE_ITERATIONS, COMPLETION_PASSES, PAGE_SIZE_BYTES, LINK_CAPACITY_BITS_PER_SECOND, STATE_SPACE, THRESHOLDS, DWELL_AWARE,
            DIRTY_RATE_INTERVAL_SECONDS, DIRTY_RATE_CALC_SECONDS, MIGRATION_BANDWIDTH_BYTES_PER_SECOND, DIRTY_RATE_MAX_CALCS_PER_SECOND,
            PRIOR_FILE,
            PRIOR_WEIGHT, MODEL_SYNC_INTERVAL_SECONDS, CHECKPOINT_INTERVAL_SECONDS, POLICY, KUBEVIRT_STALL_WINDOW_SECONDS,
            KUBEVIRT_COMPLETION_TIMEOUT_PER_GIB, POSTCOPY_GUARD, POSTCOPY_GUARD_SECONDS_PER_GIB, POSTCOPY_GUARD_BUDGET_FACTOR, POSTCOPY_GUARD_STALL_MILLIS,
            POSTCOPY_GUARD_COLLAPSE_SHARE,
            STORAGE_DEVICE, INTERFERENCE_MODEL, INTERFERENCE_ON_PROBABILITY, INTERFERENCE_ON_SECONDS,
            INTERFERENCE_OFF_PROBABILITY, INTERFERENCE_OFF_SECONDS, INTERFERENCE_THRESHOLD_PROBABILITY,
            STORAGE_KP_BYTES_PER_SECOND, STORAGE_KI_BYTES_PER_SECOND_SQUARED, STORAGE_KD_BYTES, STORAGE_MIN_BYTES_PER_SECOND,
            STORAGE_MAX_BYTES_PER_SECOND, PREFETCH_FACTOR, PREFETCH_MEMORY_CAP_BYTES,
            RECORD_MAX_BYTES, RECORD_KEEP_FILES, JMX_REMOTE, JMX_BIND_ADDRESS, JMX_REGISTRY_PORT, JMX_SERVER_PORT,
            JMX_PASSWORD_FILE, JMX_ACCESS_FILE, JMX_AUTHENTICATE, JMX_TLS, JMX_KEY_STORE, JMX_KEY_STORE_PASSWORD_FILE,
            JMX_TLS_CLIENT_AUTH, JMX_TRUST_STORE, JMX_TRUST_STORE_PASSWORD_FILE, PROMETHEUS_ADDRESS);

    private static final Map<String, Setting<?>> BY_KEY = new LinkedHashMap<>();

    static {
        for (Setting<?> s : ALL) {
            if (BY_KEY.put(s.key(), s) != null) {
                throw new ExceptionInInitializerError("duplicate key " + s.key());
            }
        }
    }

    /** The setting called {@code key} (exactly). */
    public static Optional<Setting<?>> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The runtime-mutable ones, in the documentation's order. */
    public static List<Setting<?>> runtimeMutable() {
        return ALL.stream().filter(Setting::runtimeMutable).toList();
    }

    /** The table of {@code docs/configuration.md}: header, separator and one row per key. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| key | meaning | unit | default | bounds | runtime |\n|---|---|---|---|---|---|\n");
        for (Setting<?> s : ALL) {
            sb.append(s.markdownRow()).append('\n');
        }
        return sb.toString();
    }

    /** Prints the documentation's table, for pasting into {@code docs/configuration.md} after a change here. */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }

    // ------------------------------------------------------------------------------- runtime: new settings with one value

    private static GovernorSettings governor(GovernorSettings s, int lookAhead, long link, int sync, int checkpoint) {
        return new GovernorSettings(s.mode(), lookAhead, s.controller(), s.convergence(), link, sync, checkpoint, s.policy(),
                s.kubevirtStallWindowSeconds(), s.writeSampling(), s.storage(), s.guard(), s.kubevirtCompletionTimeoutPerGiB());
    }

    private static GovernorSettings controller(GovernorSettings s, UnaryOperator<ControllerSettings> change) {
        ControllerSettings c = change.apply(s.controller());
        return new GovernorSettings(s.mode(), s.lookAhead(), c, s.convergence(), s.linkCapacityBitsPerSecond(),
                s.modelSyncIntervalSeconds(), s.checkpointIntervalSeconds(), s.policy(), s.kubevirtStallWindowSeconds(),
                s.writeSampling(), s.storage(), s.guard(), s.kubevirtCompletionTimeoutPerGiB());
    }

    private static GovernorSettings convergence(GovernorSettings s, UnaryOperator<ConvergenceSettings> change) {
        ConvergenceSettings c = change.apply(s.convergence());
        return new GovernorSettings(s.mode(), s.lookAhead(), s.controller(), c, s.linkCapacityBitsPerSecond(),
                s.modelSyncIntervalSeconds(), s.checkpointIntervalSeconds(), s.policy(), s.kubevirtStallWindowSeconds(),
                s.writeSampling(), s.storage(), s.guard(), s.kubevirtCompletionTimeoutPerGiB());
    }

    private static GovernorSettings guard(GovernorSettings s, UnaryOperator<GuardSettings> change) {
        return s.withGuard(change.apply(s.guard()));
    }

    private static GovernorSettings storage(GovernorSettings s, UnaryOperator<StorageSettings> change) {
        return s.withStorage(change.apply(s.storage()));
    }

    private static GovernorSettings hysteresis(GovernorSettings s, UnaryOperator<HysteresisSettings> change) {
        return storage(s, st -> st.withHysteresis(StorageSettings.keyed(() -> change.apply(st.hysteresis()))));
    }

    private static GovernorSettings pid(GovernorSettings s, UnaryOperator<PidSettings> change) {
        return storage(s, st -> st.withPid(StorageSettings.keyed(() -> change.apply(st.pid()))));
    }

    private static GovernorSettings prefetch(GovernorSettings s, UnaryOperator<PrefetchSettings> change) {
        return storage(s, st -> st.withPrefetch(StorageSettings.keyed(() -> change.apply(st.prefetch()))));
    }

    private static String path(Path p) {
        return p == null ? "" : p.toString();
    }
}
