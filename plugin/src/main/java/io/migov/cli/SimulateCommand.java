// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.core.StateSpace;
import io.migov.core.policy.Policies;
import io.migov.sim.BenchCsv;
import io.migov.sim.BenchRow;
import io.migov.sim.BenchTable;
import io.migov.sim.BuiltInWorkloads;
import io.migov.sim.ModelParameters;
import io.migov.sim.RecordScenarios;
import io.migov.sim.Scenario;
import io.migov.sim.Simulator;
import io.migov.sim.WorkloadsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code migov simulate}: replays workload models or recorded migrations through every policy over
 * a model of QEMU's pre-copy and post-copy (docs/evaluation/simulate.md) and prints the bench's
 * results table.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Replay migrations through every policy offline, over a model of QEMU pre-copy/post-copy, and print the bench table.",
                "Without --workloads or --records: the bench's ten built-in workloads (512 MiB guests)."})
final class SimulateCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--workloads", paramLabel = "FILE.json",
            description = "Workload models: a JSON list of {name, memoryMiB, phases: [{fromSeconds, dirtyPagesPerSecond, workingSetMiB, "
                    + "readPagesPerSecond, cpuPercent, netInPercent, netOutPercent}]}.")
    Path workloads;

    @Option(names = "--records", split = ",", paramLabel = "FILE", description = "Recorded migrations (migrations.jsonl), comma-separated.")
    List<Path> records;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Policies to compare, comma-separated (default: the whole suite, migov, algorithm1, precopy, …, kubevirt-stall).")
    List<String> policies;

    @Option(names = "--bandwidth-mib", defaultValue = "100", paramLabel = "MiB/s", description = "Migration bandwidth cap (default ${DEFAULT-VALUE}).")
    double bandwidthMib;

    @Option(names = "--downtime-ms", defaultValue = "300", paramLabel = "MS", description = "Maximum downtime at the start (default ${DEFAULT-VALUE}).")
    long downtimeMs;

    @Option(names = "--fault-latency-us", defaultValue = "1000", paramLabel = "µS",
            description = "Round trip of one post-copy page request (default ${DEFAULT-VALUE}).")
    long faultLatencyUs;

    @Option(names = "--timeout-s", defaultValue = "90", paramLabel = "S",
            description = "A pre-copy migration still running then is aborted, not completed (default ${DEFAULT-VALUE}).")
    long timeoutS;

    @Option(names = "--state-space", defaultValue = "usage", paramLabel = "usage|write|usage+write",
            description = "migov's state space for the built-in and --workloads scenarios (default ${DEFAULT-VALUE}).")
    String stateSpace;

    @Option(names = "--look-ahead", defaultValue = "5", paramLabel = "N",
            description = "migov's look-ahead n for those scenarios, 1..1000 (default ${DEFAULT-VALUE}).")
    int lookAhead;

    @Option(names = "--no-postcopy", description = "Start migrations without post-copy permitted: libvirt refuses every switch.")
    boolean noPostcopy;

    @Option(names = "--csv", paramLabel = "OUT.csv", description = "Also write every run as a bench CSV (migov bench-report reads it).")
    Path csv;

    @Option(names = "--markdown", paramLabel = "OUT.md", description = "Also write the tables as Markdown.")
    Path markdown;

    @Override
    public Integer call() {
        ModelParameters parameters = parameters();
        List<String> names = policyNames();
        List<Scenario> scenarios = scenarios(parameters);
        List<BenchRow> rows = new Simulator(parameters).run(scenarios, names);
        BenchTable table = BenchTable.of(rows);
        String heading = String.format(Locale.ROOT,
                "migov simulate: %d workloads × %d policies; %s MiB/s, max downtime %d ms, fault latency %d µs, timeout %d s, post-copy %s; "
                        + "migov's state space %s, look-ahead %d",
                scenarios.size(), names.size(), trim(bandwidthMib), downtimeMs, faultLatencyUs, timeoutS,
                noPostcopy ? "not permitted" : "permitted", stateSpace, lookAhead);
        spec.commandLine().getOut().print(heading + "\n\n" + table.text());
        spec.commandLine().getOut().flush();
        if (csv != null) {
            StringWriter out = new StringWriter();
            try {
                BenchCsv.write(rows, out);
            } catch (IOException e) {
                throw new IllegalStateException(e); // a StringWriter does not fail
            }
            Outputs.write(csv, "--csv", out.toString());
        }
        if (markdown != null) {
            Outputs.write(markdown, "--markdown", heading + "\n\n" + table.markdown());
        }
        return 0;
    }

    private ModelParameters parameters() {
        if (!(bandwidthMib > 0) || Double.isInfinite(bandwidthMib)) {
            throw new BadInputException("--bandwidth-mib: expected a number > 0, got " + bandwidthMib);
        }
        if (downtimeMs < 1 || downtimeMs > 2_000_000) {
            throw new BadInputException("--downtime-ms: expected 1..2000000, got " + downtimeMs);
        }
        if (faultLatencyUs < 0 || faultLatencyUs > 10_000_000) {
            throw new BadInputException("--fault-latency-us: expected 0..10000000, got " + faultLatencyUs);
        }
        if (timeoutS < 1 || timeoutS > 86_400) {
            throw new BadInputException("--timeout-s: expected 1..86400, got " + timeoutS);
        }
        return ModelParameters.DEFAULTS.withBandwidthBytesPerSecond(bandwidthMib * 1024 * 1024).withDowntimeLimitMillis(downtimeMs)
                .withFaultLatencyMicros(faultLatencyUs).withTimeoutMillis(timeoutS * 1000).withPostCopyPermitted(!noPostcopy);
    }

    private List<String> policyNames() {
        if (policies == null || policies.isEmpty()) {
            return Policies.SUITE;
        }
        List<String> out = new ArrayList<>();
        for (String p : policies) {
            try {
                String name = Policies.canonical(p);
                if (!out.contains(name)) {
                    out.add(name);
                }
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--policies: " + e.getMessage());
            }
        }
        return out;
    }

    private Scenario.Signal signal() {
        StateSpace space;
        try {
            space = StateSpace.fromConfigName(stateSpace);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--state-space: expected one of usage, write, usage+write, got '" + stateSpace + "'");
        }
        if (lookAhead < 1 || lookAhead > 1000) {
            throw new BadInputException("--look-ahead: expected 1..1000, got " + lookAhead);
        }
        return new Scenario.Signal(space, lookAhead, bandwidthMib * 1024 * 1024, Scenario.Signal.DEFAULT.dirtyRateIntervalSeconds());
    }

    private List<Scenario> scenarios(ModelParameters parameters) {
        Scenario.Signal signal = signal();
        if (workloads == null && (records == null || records.isEmpty())) {
            return BuiltInWorkloads.scenarios(signal);
        }
        List<Scenario> out = new ArrayList<>();
        if (workloads != null) {
            try {
                WorkloadsFile.parse(Outputs.readText(workloads, "--workloads"), workloads.toString()).forEach(w -> out.add(Scenario.of(w, signal)));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        if (records != null && !records.isEmpty()) {
            RecordScenarios loader = new RecordScenarios(parameters);
            for (Path f : records) {
                try {
                    loader.add(Outputs.readText(f, "--records"), f.toString());
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(e.getMessage());
                }
            }
            RecordScenarios.Loaded loaded = loader.loaded();
            loaded.notes().forEach(n -> spec.commandLine().getErr().println("migov: note: " + n));
            spec.commandLine().getErr().flush();
            out.addAll(loaded.scenarios());
            if (loaded.scenarios().isEmpty() && workloads == null) {
                throw new BadInputException("--records: no recorded migration can be replayed (see the notes above)");
            }
        }
        return out;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
