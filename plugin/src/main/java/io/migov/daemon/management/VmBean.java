// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.DecisionCore;
import io.migov.core.MarkovModel;
import io.migov.core.ModelCodec;
import io.migov.core.Prediction;
import io.migov.core.PriorMatrix;
import io.migov.core.WorkloadProfile;
import io.migov.governor.Governor;
import io.migov.governor.GovernorSettings;
import io.migov.governor.MigrationView;
import io.migov.governor.VmView;
import io.migov.jmx.OpenTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.weakref.jmx.Managed;

import javax.management.openmbean.CompositeData;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * {@code io.migov:type=Vm,name="<vm>"}: one VM profiled on this host — registered when the VM
 * appears, unregistered when it leaves. Its state, model, prediction and running migration, and
 * the model operations {@link #resetModel()}, {@link #exportModel()}, {@link #importPrior(String)}.
 */
public final class VmBean {

    private static final Logger LOG = LoggerFactory.getLogger(VmBean.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The prior matrix document's format (PriorMatrix.fromJson). */
    static final String PRIOR_FORMAT = "migov-prior";
    /** Entries of the current state's transition row shown. */
    static final int TOP_TRANSITIONS = 10;

    static final OpenTables.Row PREDICTION = OpenTables.Row.named("migov.Prediction",
                    "The most likely workload state k steps (seconds) ahead")
            .item("k", SimpleType.INTEGER, "steps ahead (1 step = 1 s)")
            .item("state", SimpleType.INTEGER, "state index (cpu·27 + mem·9 + net_in·3 + net_out with the default scheme)")
            .item("levels", SimpleType.STRING, "the state's levels, e.g. cpu=high,mem=high,net_in=low,net_out=low")
            .item("strategy", SimpleType.STRING, "strategy for that state: PRE_COPY, POST_COPY or HYBRID")
            .item("probability", SimpleType.DOUBLE, "probability of that state k steps ahead (0..1)")
            .build();
    static final TabularType PREDICTIONS = PREDICTION.table("migov.Predictions",
            "Most likely state for k = 1..lookAhead steps ahead", "k");

    static final OpenTables.Row TRANSITION = OpenTables.Row.named("migov.Transition",
                    "One entry of the current state's transition row")
            .item("rank", SimpleType.INTEGER, "1 = the most likely next state")
            .item("state", SimpleType.INTEGER, "next state index")
            .item("levels", SimpleType.STRING, "the next state's levels")
            .item("probability", SimpleType.DOUBLE, "probability of moving there in one step, 1 s (0..1)")
            .build();
    static final TabularType TRANSITIONS = TRANSITION.table("migov.TransitionRow",
            "The current state's most likely next states (top " + TOP_TRANSITIONS + ")", "rank");

    static final OpenTables.Row BEHAVIOUR = OpenTables.Row.named("migov.Behaviour",
                    "Expected behaviour over the next lookAhead steps")
            .item("lookAhead", SimpleType.INTEGER, "steps predicted (1 step = 1 s)")
            .item("memoryIntensiveShare", SimpleType.DOUBLE, "expected share of memory-intensive steps (0..1)")
            .item("netOutIntensiveShare", SimpleType.DOUBLE, "expected share of net-out-intensive steps (0..1)")
            .item("netInIntensiveShare", SimpleType.DOUBLE, "expected share of net-in-intensive steps (0..1)")
            .item("memoryIntensive", SimpleType.BOOLEAN, "memoryIntensiveShare ≥ the memoryIntensiveShare tunable")
            .build();

    static final OpenTables.Row MIGRATION = OpenTables.Row.named("migov.Migration", "An outgoing migration while it runs")
            .item("vm", SimpleType.STRING, "domain name")
            .item("uuid", SimpleType.STRING, "domain UUID")
            .item("startEpochMillis", SimpleType.LONG, "when the job started (epoch ms)")
            .item("elapsedMillis", SimpleType.LONG, "time since the start (ms)")
            .item("mode", SimpleType.STRING, "governor mode when the migration was seen: enforce, advise or off")
            .item("policy", SimpleType.STRING, "the policy steering it: migov, hybrid(4), nova, … (the policy key)")
            .item("stateAtStart", SimpleType.INTEGER, "workload state when the migration was seen (-1 unknown)")
            .item("strategy", SimpleType.STRING, "PRE_COPY, POST_COPY or HYBRID")
            .item("strategyReason", SimpleType.STRING, "why that strategy")
            .item("lookAhead", SimpleType.INTEGER, "n used for the prediction (steps of 1 s)")
            .item("predictedMemoryShare", SimpleType.DOUBLE, "look-ahead's expected memory-intensive share (0..1)")
            .item("iteration", SimpleType.INTEGER, "last pre-copy pass seen (passes; 0 before the first)")
            .item("dirtyRatePagesPerSecond", SimpleType.DOUBLE, "dirty rate at that pass (pages/s; NaN while libvirt does not know it)")
            .item("remainingBytes", SimpleType.LONG, "memory still to send at that pass (bytes; -1 before the first pass)")
            .item("transferRateBytesPerSecond", SimpleType.DOUBLE, "transfer rate at that pass (bytes/s; NaN before the first pass)")
            .item("verdict", SimpleType.STRING, "DECAYING, NOT_DECAYING, GROWING, WILL_COMPLETE or STALLED (empty before the first pass)")
            .item("allowedDowntimeMillis", SimpleType.LONG, "the migration's max downtime when it was seen (ms)")
            .item("plannedAction", SimpleType.STRING, "what the controller will do next")
            .item("advisedAction", SimpleType.STRING, "none, switch_to_postcopy or raise_downtime: decided so far")
            .item("takenAction", SimpleType.STRING, "none, switch_to_postcopy or raise_downtime: carried out so far")
            .item("steeringPaused", SimpleType.BOOLEAN, "steering is paused: nothing will be carried out")
            .item("switchHeldBy", SimpleType.STRING, "why the guard holds the post-copy switch the policy decided (empty: not held)")
            .build();

    private final Governor governor;
    private final String uuid;
    private final DecisionCore core;
    private final Supplier<GovernorSettings> settings;
    private final PriorMatrix prior;
    private final double priorWeight;

    VmBean(Governor governor, String uuid, Supplier<GovernorSettings> settings, PriorMatrix prior, double priorWeight) {
        this.governor = governor;
        this.uuid = uuid;
        this.core = governor.core();
        this.settings = settings;
        this.prior = prior;
        this.priorWeight = priorWeight;
    }

    private VmView view() {
        return governor.vm(uuid).orElseThrow(() -> new IllegalStateException("VM " + uuid + " is no longer on this host"));
    }

    private WorkloadProfile profile() {
        return governor.profile(uuid).orElseThrow(() -> new IllegalStateException("VM " + uuid + " is no longer on this host"));
    }

    static CompositeData migration(MigrationView m) {
        return MIGRATION.data(m.vm(), m.uuid(), m.startEpochMillis(), m.elapsedMillis(), m.mode(), m.policy(), m.stateAtStart(), m.strategy(),
                m.strategyReason(), m.lookAhead(), m.predictedMemoryShare(), m.iteration(), m.dirtyRatePagesPerSecond(),
                m.remainingBytes(), m.transferRateBytesPerSecond(), m.verdict(), m.allowedDowntimeMillis(), m.plannedAction(),
                m.advisedAction(), m.takenAction(), m.steeringPaused(), m.switchHeldBy());
    }

    // =============================================================================== state

    @Managed(description = "Domain UUID (text)")
    public String getUuid() {
        return uuid;
    }

    @Managed(description = "Domain name (text)")
    public String getName() {
        return view().name();
    }

    @Managed(description = "Current workload state index (-1 before the first sample)")
    public int getState() {
        return view().state();
    }

    @Managed(description = "The current state's levels, e.g. cpu=high,mem=high,net_in=low,net_out=low (empty before the first sample)")
    public String getLevels() {
        return view().levels();
    }

    @Managed(description = "Samples the VM's model has learned from, one per second (count)")
    public long getSamples() {
        return view().samples();
    }

    @Managed(description = "Strategy for the current state: PRE_COPY, POST_COPY or HYBRID (empty before the first sample)")
    public String getStrategy() {
        return view().strategy();
    }

    @Managed(description = "Why that strategy (text)")
    public String getStrategyReason() {
        return view().strategyReason();
    }

    @Managed(description = "Where the memory percentage comes from: balloon, rss or none")
    public String getMemorySource() {
        return view().memorySource();
    }

    @Managed(description = "Memory write intensity: the last measured dirty rate as a share of migrationBandwidthBytesPerSecond "
            + "(%, 0..100; 0 until measured)")
    public double getWritePercent() {
        return view().writePercent();
    }

    @Managed(description = "The last dirty rate measured outside migrations (bytes/s; -1 before the first measurement)")
    public long getDirtyRateBytesPerSecond() {
        return view().dirtyRateBytesPerSecond();
    }

    @Managed(description = "The guest's disk reads over the last second, summed over its disks (bytes/s; -1 when libvirt "
            + "reports no block statistics). Not part of the 81-state model: a measured resource for operators and storage steering")
    public long getDiskReadBytesPerSecond() {
        return view().diskReadBytesPerSecond();
    }

    @Managed(description = "The guest's disk writes over the last second, summed over its disks (bytes/s; -1 when unknown)")
    public long getDiskWriteBytesPerSecond() {
        return view().diskWriteBytesPerSecond();
    }

    @Managed(description = "The guest's disk read and write requests over the last second (requests/s; -1 when unknown)")
    public double getDiskOpsPerSecond() {
        return view().diskOpsPerSecond();
    }

    @Managed(description = "The state the model predicts now for lookAhead steps (seconds) ahead (-1 before the first sample)")
    public int getPredictedState() {
        return profile().score().predictedState();
    }

    @Managed(description = "The last prediction that came due: the state it predicted lookAhead steps earlier (-1 before the first)")
    public int getLastPredictedState() {
        return profile().score().lastPredicted();
    }

    @Managed(description = "The last prediction that came due: the state that was realised (-1 before the first)")
    public int getLastRealisedState() {
        return profile().score().lastRealised();
    }

    @Managed(description = "Rolling hit rate of the model's lookAhead-step predictions over the last "
            + io.migov.core.PredictionScore.WINDOW + " scored (0..1; NaN before the first)")
    public double getPredictionHitRate() {
        return profile().score().hitRate();
    }

    @Managed(description = "Rolling hit rate of persistence (\"the state stays the same\") over the same ticks (0..1; NaN before "
            + "the first): the model earns its place where predictionHitRate is above it")
    public double getPersistenceHitRate() {
        return profile().score().persistenceHitRate();
    }

    @Managed(description = "Predictions scored in the rolling window (count)")
    public int getPredictionsScored() {
        return profile().score().scored();
    }

    @Managed(description = "Where the model came from when the VM appeared: new, metadata, checkpoint or hook")
    public String getModelSource() {
        return view().modelSource();
    }

    @Managed(description = "Whether an outgoing migration is being watched now (true/false)")
    public boolean isMigrating() {
        return view().migrating();
    }

    @Managed(description = "Most likely state for k = 1..lookAhead steps (seconds) ahead, with its probability (0..1); "
            + "empty before the first sample")
    public TabularData getPredictions() {
        List<CompositeData> rows = new ArrayList<>();
        WorkloadProfile p = profile();
        int n = settings.get().lookAhead();
        Prediction prediction;
        synchronized (p) {
            if (p.currentState() < 0) {
                return OpenTables.tabular(PREDICTIONS, rows);
            }
            prediction = p.predict(n);
        }
        for (int k = 1; k <= prediction.lookAhead(); k++) {
            int s = prediction.mostLikelyState(k);
            rows.add(PREDICTION.data(k, s, core.discretiser().describe(s), core.selector().select(s).strategy().name(),
                    prediction.probability(k)));
        }
        return OpenTables.tabular(PREDICTIONS, rows);
    }

    @Managed(description = "Expected behaviour over the next lookAhead steps: memory-, net-out- and net-in-intensive shares "
            + "(0..1); null before the first sample")
    public CompositeData getPredictedBehaviour() {
        WorkloadProfile p = profile();
        GovernorSettings s = settings.get();
        Prediction prediction;
        synchronized (p) {
            if (p.currentState() < 0) {
                return null;
            }
            prediction = p.predict(s.lookAhead());
        }
        var b = prediction.behaviour();
        return BEHAVIOUR.data(b.lookAhead(), b.memoryIntensiveShare(), b.netOutIntensiveShare(), b.netInIntensiveShare(),
                b.isMemoryIntensive(s.controller().memoryIntensiveShare()));
    }

    @Managed(description = "The current state's transition row: the " + TOP_TRANSITIONS + " most likely next states with "
            + "their one-step (1 s) probability (0..1); empty before the first sample")
    public TabularData getTransitionRow() {
        WorkloadProfile p = profile();
        double[] row;
        synchronized (p) {
            int current = p.currentState();
            if (current < 0) {
                return OpenTables.tabular(TRANSITIONS, List.of());
            }
            row = p.transitionRow(current);
        }
        List<Integer> order = IntStream.range(0, row.length).boxed()
                .filter(i -> row[i] > 0)
                .sorted(Comparator.<Integer>comparingDouble(i -> -row[i]).thenComparingInt(i -> i))
                .limit(TOP_TRANSITIONS).toList();
        List<CompositeData> rows = new ArrayList<>();
        for (int r = 0; r < order.size(); r++) {
            int s = order.get(r);
            rows.add(TRANSITION.data(r + 1, s, core.discretiser().describe(s), row[s]));
        }
        return OpenTables.tabular(TRANSITIONS, rows);
    }

    @Managed(description = "The outgoing migration being watched now (iteration, dirty rate, remaining bytes, verdict, "
            + "planned action, …; units in the item descriptions); null when the VM is not migrating")
    public CompositeData getMigration() {
        return governor.activeMigration(uuid).map(VmBean::migration).orElse(null);
    }

    // =============================================================================== operations

    @Managed(description = "Forget everything the VM's model learned (a fresh model with the host's prior; the checkpoint and "
            + "domain metadata are overwritten at their next interval). Returns what it did")
    public String resetModel() {
        WorkloadProfile p = profile();
        long had;
        synchronized (p) {
            had = p.samples();
            p.resetModel();
        }
        String name = view().name();
        LOG.info("{}: model reset through JMX ({} samples forgotten)", name, had);
        return "model of " + name + " reset (" + had + " samples forgotten)";
    }

    @Managed(description = "The VM's model as JSON ({\"format\":\"migov-markov\",\"version\":2,…}, counts per transition and per dwell)")
    public String exportModel() {
        return profile().exportModel();
    }

    @Managed(description = "Import prior knowledge for this VM (JSON): a prior matrix {\"format\":\"migov-prior\",…} (N×N for "
            + "this host's N states) becomes the model's prior, keeping what it learned; or a model {\"format\":\"migov-markov\",…} "
            + "(e.g. another VM's exportModel) replaces the VM's model. All or nothing. Returns what it did")
    public String importPrior(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (Exception e) {
            throw new IllegalArgumentException("importPrior: not valid JSON: " + e.getMessage());
        }
        String format = root == null ? null : root.path("format").asText(null);
        WorkloadProfile p = profile();
        String name = view().name();
        String result;
        if (PRIOR_FORMAT.equals(format) || (root != null && root.isArray())) {
            PriorMatrix imported = PriorMatrix.fromJson(json);
            if (imported.stateCount() != prior.stateCount()) {
                throw new IllegalArgumentException("importPrior: matrix: expected " + prior.stateCount() + "×" + prior.stateCount()
                        + " (this host's state scheme), got " + imported.stateCount() + "×" + imported.stateCount());
            }
            String hostScheme = core.discretiser().toString();
            if (!imported.fits(core.discretiser())) {
                throw new IllegalArgumentException("importPrior: scheme: expected this host's " + hostScheme + ", got "
                        + imported.scheme().get());
            }
            p.replacePrior(imported, priorWeight);
            result = "prior of " + name + " replaced; " + p.samples() + " learned samples kept";
        } else if (ModelCodec.FORMAT.equals(format)) {
            MarkovModel model = ModelCodec.decode(json, prior, priorWeight);
            p.replaceModel(model);
            result = "model of " + name + " replaced by the imported one (" + model.samples() + " samples)";
        } else {
            throw new IllegalArgumentException("importPrior: format: expected '" + PRIOR_FORMAT + "' or '" + ModelCodec.FORMAT
                    + "', got " + (format == null ? "none" : "'" + format + "'"));
        }
        LOG.info("{}: {} through JMX", name, result);
        return result;
    }
}
