// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.core.Discretiser;
import io.migov.daemon.ConfigException;
import io.migov.daemon.DaemonConfig;
import io.migov.replay.PriorLearner;
import io.migov.replay.Trace;
import io.migov.replay.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code migov prior}: learns a workload-specific initial transition matrix from recorded traces
 * of one workload type ({@link PriorLearner}) and writes it in the {@code migov-prior} format the
 * daemon's {@code priorFile} and {@code migov predict --initial} load. Nothing is written unless
 * every input is valid; the file is replaced atomically.
 */
@Command(name = "prior", mixinStandardHelpOptions = true,
        description = {"Learn a workload-specific prior transition matrix from per-second traces (CSV t,cpu,mem,net_in,net_out) "
                + "of one workload type, for the daemon's priorFile or predict --initial. Transitions are counted between "
                + "consecutive samples of one trace at most 1.5 s apart; row i = (counts[i] + K/N) / (row total + K).",
                "Prints one JSON object: traces, samples, transitions, states, rows_observed, smoothing, out."})
final class PriorCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--traces", required = true, split = ",", paramLabel = "FILE.csv",
            description = "Traces with header t,cpu,mem,net_in,net_out (as migov record writes them); never linked to each other.")
    List<Path> traces;

    @Option(names = "--out", required = true, paramLabel = "P.json", description = "Prior file to write (replaced atomically).")
    Path out;

    @Option(names = "--thresholds-from", paramLabel = "CONFIG.json",
            description = "Take the state scheme from this daemon config's stateSpace and thresholds keys (default: the research's "
                    + "usage scheme, thresholds 25,50 for cpu, mem, net_in, net_out; 81 states). The file records its scheme, and a "
                    + "daemon refuses a prior learned in another one: a daemon with the default stateSpace write needs its config here.")
    Path thresholdsFrom;

    @Option(names = "--smoothing", defaultValue = "1", paramLabel = "K",
            description = "Pseudo-counts per row spread uniformly over the states (default ${DEFAULT-VALUE}); 0: rows are the observed frequencies.")
    double smoothing;

    @Override
    public Integer call() throws IOException {
        if (!Double.isFinite(smoothing) || smoothing < 0) {
            throw new BadInputException("--smoothing: expected a finite value ≥ 0, got " + smoothing);
        }
        Outputs.replaceableTarget(out); // before any input is read
        Discretiser discretiser = thresholdsFrom == null ? Discretiser.defaultScheme() : thresholds(thresholdsFrom);
        PriorLearner learner;
        try {
            learner = new PriorLearner(discretiser, smoothing);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--thresholds-from " + thresholdsFrom + ": " + e.getMessage());
        }
        for (Path trace : traces) {
            Trace t = loadTrace(trace);
            if (discretiser.models(io.migov.core.Resource.WRITE) && !t.hasWrite()) {
                throw new BadInputException("--traces: " + trace + " has no write column, which a scheme with write intensity needs ("
                        + discretiser + "; record traces with migov record, or take a usage scheme with --thresholds-from)");
            }
            learner.add(t);
        }
        if (learner.transitions() == 0) {
            throw new BadInputException("--traces: no transitions to learn from: " + learner.samples() + " samples in "
                    + learner.traces() + " trace(s), no two consecutive samples of one trace at most "
                    + PriorLearner.MAX_STEP_SECONDS + " s apart");
        }
        Outputs.replaceAtomically(out, learner::writeJson);

        ObjectMapper json = new ObjectMapper();
        ObjectNode summary = json.createObjectNode();
        summary.put("traces", learner.traces());
        summary.put("samples", learner.samples());
        summary.put("transitions", learner.transitions());
        summary.put("states", learner.stateCount());
        summary.put("rows_observed", learner.rowsObserved());
        summary.put("smoothing", learner.smoothing());
        summary.put("out", out.toString());
        spec.commandLine().getOut().println(json.writeValueAsString(summary));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The state scheme of a daemon config: only its {@code stateSpace} and {@code thresholds} keys are read, validated as the daemon does. */
    private static Discretiser thresholds(Path config) {
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("--thresholds-from: no such file: " + config);
        } catch (MalformedInputException e) {
            throw new BadInputException("--thresholds-from " + config + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new BadInputException("--thresholds-from: cannot read " + config + ": " + e.getMessage());
        }
        JsonNode tree;
        try {
            tree = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new BadInputException("--thresholds-from " + config + ": not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new BadInputException("--thresholds-from " + config + ": expected a JSON object (a migov config)");
        }
        // only the scheme matters here: the rest of the config (e.g. a priorFile this command is about to write) is not read
        ObjectNode onlyThresholds = JsonMapper.builder().build().createObjectNode();
        for (String key : new String[] {"stateSpace", "thresholds"}) {
            if (tree.has(key)) {
                onlyThresholds.set(key, tree.get(key));
            }
        }
        try {
            return DaemonConfig.parse(onlyThresholds.toString(), config.toString(), null, DaemonConfig.Overrides.NONE).discretiser();
        } catch (ConfigException e) {
            throw new BadInputException("--thresholds-from " + config + ": " + e.getMessage());
        }
    }

    private static Trace loadTrace(Path trace) {
        try (Reader reader = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return Trace.read(reader, trace.toString());
        } catch (NoSuchFileException e) {
            throw new BadInputException("--traces: no such file: " + trace);
        } catch (MalformedInputException e) {
            throw new BadInputException("--traces " + trace + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new BadInputException("--traces: cannot read " + trace + ": " + e.getMessage());
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
