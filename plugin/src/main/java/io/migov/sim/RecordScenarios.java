// SPDX-License-Identifier: Apache-2.0
package io.migov.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.core.Behaviour;
import io.migov.core.Decision;
import io.migov.core.DecisionCore;
import io.migov.core.Resource;
import io.migov.core.Strategy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns recorded migrations (the daemon's {@code migrations.jsonl}) into scenarios to replay under
 * every policy. What a record says is used as it is: the decision is the strategy table's for
 * {@code state_at_start}, the look-ahead is the recorded predicted shares. What it does not say is
 * derived from its passes (each pass as libvirt announced it when it began):
 * <ul>
 *   <li>guest memory: {@code memory_bytes} when present, else pass 1's remaining bytes plus what pass 1
 *       had sent by the time it was recorded;</li>
 *   <li>dirty rate over time, piecewise constant: pass N's rate (measured over pass N − 1) holds from
 *       pass N − 1's start; pass 1 takes pass 2's; after the last pass the last rate holds. A pass
 *       whose remaining bytes did not fall by more than 4 % from the previous one's is saturated
 *       (the guest dirtied the whole working set within the pass, so the measured rate, distinct
 *       pages ÷ pass time, only bounds the real one from below): its rate is doubled, enough to
 *       keep it saturated in the model;</li>
 *   <li>working set: the largest remaining bytes at a boundary after pass 1 (at a boundary the
 *       remaining data is what the guest dirtied during the previous pass);</li>
 *   <li>non-zero memory at start: from how long pass 1 took at the recorded transfer rate;</li>
 *   <li>cpu: the middle of the state's cpu level; reads: none (a record cannot see them, so
 *       post-copy page requests from reads are missed).</li>
 * </ul>
 * A record without pass 1, or with no pass after it, cannot be replayed and is skipped with a note.
 */
public final class RecordScenarios {

    /** Scenarios built, and one note per record skipped. */
    public record Loaded(List<Scenario> scenarios, List<String> notes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double FLAT_MARGIN = 0.04;
    private static final double SATURATED_RATE_FACTOR = 2;
    /** Middle of each default cpu level (low, moderate, high), %. */
    private static final double[] LEVEL_MIDDLE = {10, 37.5, 75};

    private final ModelParameters parameters;
    private final DecisionCore core = DecisionCore.defaults();
    private final List<Scenario> scenarios = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> seen = new HashMap<>();

    public RecordScenarios(ModelParameters parameters) {
        this.parameters = parameters;
    }

    /** Adds the records of one JSONL text; {@code source} (the file name) prefixes every error and note. */
    public RecordScenarios add(String text, String source) {
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String at = source + ":" + (i + 1);
            JsonNode record;
            try {
                record = JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(at + ": not a JSON object");
            }
            if (record == null || !record.isObject() || !record.has("passes")) {
                throw new IllegalArgumentException(at + ": not a migration record (no 'passes')");
            }
            Scenario s = scenario(record, at);
            if (s != null) {
                scenarios.add(s);
            }
        }
        return this;
    }

    public Loaded loaded() {
        return new Loaded(List.copyOf(scenarios), List.copyOf(notes));
    }

    private record Pass(int iteration, long elapsedMillis, double dirtyRate, long remainingBytes, double transferRate) {
    }

    private Scenario scenario(JsonNode r, String at) {
        String vm = r.path("vm").asText("");
        String name = uniqueName(vm.isBlank() ? "record" : vm);
        List<Pass> passes = passes(r.get("passes"), at);
        Pass first = passes.stream().filter(p -> p.iteration() == 1).findFirst().orElse(null);
        List<Pass> later = passes.stream().filter(p -> p.iteration() >= 2).toList();
        if (first == null || later.isEmpty()) {
            notes.add(at + ": " + name + " skipped: " + (first == null ? "pass 1 not recorded (the guest's memory is unknown)"
                    : "no pass after pass 1 (nothing says how the guest dirties memory)"));
            return null;
        }
        double bandwidth = parameters.bandwidthBytesPerSecond();
        double memoryMiB = memoryMiB(r, first, later.get(0), at);
        double workingSetMiB = Math.min(later.stream().mapToLong(Pass::remainingBytes).max().orElse(0) / ModelParameters.MIB,
                Math.max(0, memoryMiB - parameters.osHotMiB()));
        int state = integer(r, "state_at_start", -1, at);
        double cpu = state >= 0 && state < core.discretiser().stateCount()
                ? LEVEL_MIDDLE[Math.min(2, core.discretiser().levelOf(state, Resource.CPU))] : 50;
        List<Phase> phases = new ArrayList<>();
        double previousRemaining = Double.NaN;
        Boolean passTwoFlat = null;
        for (int i = 0; i < later.size(); i++) {
            Pass p = later.get(i);
            boolean flat = !Double.isNaN(previousRemaining) && p.remainingBytes() >= (1 - FLAT_MARGIN) * previousRemaining;
            if (i == 1) {
                passTwoFlat = flat;
            }
            previousRemaining = p.remainingBytes();
            double rate = Double.isNaN(p.dirtyRate()) ? 0 : p.dirtyRate() * (flat ? SATURATED_RATE_FACTOR : 1);
            long from = i == 0 ? first.elapsedMillis() : later.get(i - 1).elapsedMillis();
            double fromSeconds = i == 0 ? -Scenario.WARM_UP_SECONDS : from / 1000.0;
            if (!phases.isEmpty() && fromSeconds <= phases.get(phases.size() - 1).fromSeconds()) {
                phases.remove(phases.size() - 1);
            }
            phases.add(new Phase(fromSeconds, rate, rate > 0 ? Math.max(workingSetMiB, 1.0 / parameters.pagesPerMiB()) : workingSetMiB, 0, cpu,
                    0, 0));
        }
        if (Boolean.TRUE.equals(passTwoFlat) && later.get(0).dirtyRate() > 0) {
            // pass 2 cannot be compared with pass 1 (all of memory): it is saturated when pass 3 is
            Phase p = phases.get(0);
            phases.set(0, new Phase(p.fromSeconds(), p.dirtyPagesPerSecond() * SATURATED_RATE_FACTOR, p.workingSetMiB(), 0, cpu, 0, 0));
        }
        Workload w;
        try {
            w = new Workload(name, memoryMiB, phases);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
        // pass 1 sends the non-zero pages at full cost and the zero pages at a small one
        double z = parameters.zeroPageCost();
        double passOneRate = later.get(0).transferRate() > 0 ? later.get(0).transferRate() : bandwidth;
        double sentMiB = later.get(0).elapsedMillis() / 1000.0 * passOneRate / ModelParameters.MIB;
        double nonZero = Math.max(workingSetMiB + parameters.osHotMiB(), Math.min(memoryMiB, (sentMiB - memoryMiB * z) / (1 - z)));
        return new Scenario(w, decision(state), behaviour(r, at), Math.min(memoryMiB, nonZero));
    }

    private String uniqueName(String vm) {
        int n = seen.merge(vm, 1, Integer::sum);
        return n == 1 ? vm : vm + "#" + n;
    }

    private double memoryMiB(JsonNode r, Pass first, Pass second, String at) {
        long declared = r.has("memory_bytes") ? whole(r.get("memory_bytes"), "memory_bytes", at) : -1;
        if (declared > 0) {
            return Math.ceil(declared / ModelParameters.MIB);
        }
        // pass 1 may have been recorded a moment after it began: add what it had sent by then
        double rate = second.transferRate() > 0 ? second.transferRate() : parameters.bandwidthBytesPerSecond();
        double bytes = first.remainingBytes() + first.elapsedMillis() / 1000.0 * rate;
        return Math.max(1, Math.ceil(bytes / ModelParameters.MIB));
    }

    private Decision decision(int state) {
        if (state < 0 || state >= core.discretiser().stateCount()) {
            return new Decision(-1, Strategy.HYBRID, "no profile yet: hybrid");
        }
        return core.selector().select(state);
    }

    private static Behaviour behaviour(JsonNode r, String at) {
        int lookAhead = integer(r, "look_ahead", Scenario.LOOK_AHEAD, at);
        return new Behaviour(Math.max(1, lookAhead), share(r, "predicted_memory_share", at), share(r, "predicted_net_out_share", at),
                share(r, "predicted_net_in_share", at));
    }

    private static List<Pass> passes(JsonNode passes, String at) {
        if (passes == null || !passes.isArray()) {
            throw new IllegalArgumentException(at + ": passes: expected a list, got " + passes);
        }
        List<Pass> out = new ArrayList<>();
        for (int i = 0; i < passes.size(); i++) {
            JsonNode p = passes.get(i);
            String where = at + ": passes[" + i + "]";
            if (!p.isObject()) {
                throw new IllegalArgumentException(where + ": expected an object, got " + p);
            }
            long iteration = whole(p.get("iteration"), "iteration", where);
            if (iteration < 1 || iteration > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + ".iteration: expected ≥ 1, got " + iteration);
            }
            JsonNode dirty = p.get("dirty_rate_pages_per_second");
            double dirtyRate = Double.NaN;
            if (dirty != null && !dirty.isNull()) {
                if (!dirty.isNumber() || dirty.asDouble() < 0 || !Double.isFinite(dirty.asDouble())) {
                    throw new IllegalArgumentException(where + ".dirty_rate_pages_per_second: expected a number ≥ 0 or null, got " + dirty);
                }
                dirtyRate = dirty.asDouble();
            }
            JsonNode rate = p.get("transfer_rate_bytes_per_second");
            if (rate != null && (!rate.isNumber() || rate.asDouble() < 0 || !Double.isFinite(rate.asDouble()))) {
                throw new IllegalArgumentException(where + ".transfer_rate_bytes_per_second: expected a number ≥ 0, got " + rate);
            }
            Pass pass = new Pass((int) iteration, whole(p.get("elapsed_millis"), "elapsed_millis", where), dirtyRate,
                    whole(p.get("remaining_bytes"), "remaining_bytes", where), rate == null ? 0 : rate.asDouble());
            if (!out.isEmpty() && pass.iteration() <= out.get(out.size() - 1).iteration()) {
                throw new IllegalArgumentException(where + ".iteration: expected > " + out.get(out.size() - 1).iteration()
                        + " (passes in order), got " + iteration);
            }
            if (!out.isEmpty() && pass.elapsedMillis() < out.get(out.size() - 1).elapsedMillis()) {
                throw new IllegalArgumentException(where + ".elapsed_millis: expected ≥ " + out.get(out.size() - 1).elapsedMillis()
                        + " (passes in order), got " + pass.elapsedMillis());
            }
            out.add(pass);
        }
        return out;
    }

    private static long whole(JsonNode v, String field, String where) {
        if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException(where + "." + field + ": expected a whole number ≥ 0, got " + v);
        }
        return v.asLong();
    }

    private static int integer(JsonNode r, String field, int fallback, String at) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(at + ": " + field + ": expected a whole number, got " + v);
        }
        return v.asInt();
    }

    private static double share(JsonNode r, String field, String at) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
            throw new IllegalArgumentException(at + ": " + field + ": expected a share in [0, 1], got " + v);
        }
        return v.asDouble();
    }
}
