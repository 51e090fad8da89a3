// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.core.DecisionCore;
import io.migov.core.Discretiser;
import io.migov.core.StateSpace;
import io.migov.core.PriorMatrix;
import io.migov.core.Strategy;
import io.migov.replay.PredictionReplay;
import io.migov.replay.Trace;
import io.migov.replay.TraceFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code migov predict}: replays a recorded trace through the model and scores its look-ahead. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Replay a per-second trace (CSV t,cpu,mem,net_in,net_out in percent) through the online Markov model",
                "and print one JSON object: samples, states, lookahead, accuracy[k-1], persistence[k-1], decisions."})
final class PredictCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--trace", required = true, paramLabel = "FILE.csv", description = "Trace with header t,cpu,mem,net_in,net_out.")
    Path trace;

    @Option(names = "--lookahead", required = true, paramLabel = "N", description = "Steps ahead to score, 1..1000.")
    int lookAhead;

    @Option(names = "--state-space", defaultValue = "usage", paramLabel = "usage|write|usage+write",
            description = "The state space, as the daemon's stateSpace (thresholds 25, 50 each; default ${DEFAULT-VALUE}). "
                    + "write and usage+write need a trace with a write column.")
    String stateSpace;

    @Option(names = "--predictor", defaultValue = "dwell", paramLabel = "dwell|chain",
            description = "dwell (default, as the daemon's dwellAware true): look ahead over (state, how long it has lasted); "
                    + "chain: the research's first-order v·Pⁿ.")
    String predictor;

    @Option(names = "--initial", defaultValue = "uniform", paramLabel = "uniform|PRIOR.json",
            description = "Initial transition rows: uniform (default) or a prior matrix file.")
    String initial;

    @Option(names = "--prior-weight", defaultValue = "0", paramLabel = "W",
            description = "Pseudo-counts given to the prior once a row has observations (default 0: observations replace the prior).")
    double priorWeight;

    @Override
    public Integer call() throws IOException {
        if (lookAhead < 1 || lookAhead > io.migov.core.Predictor.MAX_LOOK_AHEAD) {
            throw new BadInputException("--lookahead: expected 1.." + io.migov.core.Predictor.MAX_LOOK_AHEAD + ", got " + lookAhead);
        }
        if (!Double.isFinite(priorWeight) || priorWeight < 0) {
            throw new BadInputException("--prior-weight: expected a finite value ≥ 0, got " + priorWeight);
        }
        StateSpace space;
        try {
            space = StateSpace.fromConfigName(stateSpace);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--state-space: expected one of usage, write, usage+write, got '" + stateSpace + "'");
        }
        if (!"dwell".equals(predictor) && !"chain".equals(predictor)) {
            throw new BadInputException("--predictor: expected dwell or chain, got '" + predictor + "'");
        }
        DecisionCore core = DecisionCore.of(Discretiser.of(space, 25, 50), "dwell".equals(predictor));
        PriorMatrix prior = loadPrior(core.discretiser());
        Trace loaded = loadTrace();
        if (space.resources().contains(io.migov.core.Resource.WRITE) && !loaded.hasWrite()) {
            throw new BadInputException("--trace: " + trace + " has no write column, which --state-space " + space.configName()
                    + " needs (record it with migov record, which measures it)");
        }
        PredictionReplay.Result r = new PredictionReplay(core, prior, priorWeight).run(loaded.samples(), lookAhead);

        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("samples", r.samples());
        out.put("states", r.states());
        out.put("lookahead", r.lookAhead());
        ArrayNode accuracy = out.putArray("accuracy");
        for (double a : r.accuracy()) {
            accuracy.add(a);
        }
        ArrayNode persistence = out.putArray("persistence");
        for (double p : r.persistence()) {
            persistence.add(p);
        }
        ObjectNode decisions = out.putObject("decisions");
        for (Strategy s : Strategy.values()) {
            decisions.put(s.name(), r.decisions().get(s));
        }
        out.put("distinct_states", r.distinctStates());
        out.put("initial", "uniform".equals(initial) ? "uniform" : initial);
        out.put("state_space", space.configName());
        out.put("predictor", predictor);
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private PriorMatrix loadPrior(Discretiser discretiser) {
        int states = discretiser.stateCount();
        if ("uniform".equals(initial)) {
            return PriorMatrix.uniform(states);
        }
        PriorMatrix prior;
        try {
            prior = PriorMatrix.fromJson(Files.readString(Path.of(initial), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new BadInputException("--initial: no such file: " + initial);
        } catch (IOException e) {
            throw new BadInputException("--initial: cannot read " + initial + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--initial " + initial + ": " + e.getMessage());
        }
        if (prior.stateCount() != states) {
            throw new BadInputException("--initial " + initial + ": expected a " + states + "×" + states + " matrix, got "
                    + prior.stateCount() + "×" + prior.stateCount());
        }
        if (!prior.fits(discretiser)) {
            throw new BadInputException("--initial " + initial + ": learned in the state scheme " + prior.scheme().get()
                    + ", --state-space " + stateSpace + " makes " + discretiser);
        }
        return prior;
    }

    private Trace loadTrace() {
        try (Reader reader = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return Trace.read(reader, trace.toString());
        } catch (NoSuchFileException e) {
            throw new BadInputException("--trace: no such file: " + trace);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException("--trace " + trace + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new BadInputException("--trace: cannot read " + trace + ": " + e.getMessage());
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
