// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import io.migov.report.BenchCharts;
import io.migov.sim.BenchCsv;
import io.migov.sim.BenchRow;
import io.migov.sim.BenchTable;
import io.migov.sim.SimulationCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code migov bench-report}: the bench's results table (and charts) from bench CSVs, simulated or from the lab. */
@Command(name = "bench-report", mixinStandardHelpOptions = true,
        description = {"Print the bench's results table from bench CSVs (migov simulate --csv, or the lab bench).",
                "Per workload and policy the medians over repetitions; per policy the geometric mean of the median total times and "
                        + "the summed page requests; then the targets, each PASS or MISS with its numbers."})
final class BenchReportCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--csv", required = true, split = ",", paramLabel = "FILE",
            description = "Bench CSV file(s), comma-separated; header workload,policy,rep,outcome,completed,total_time_ms,… in any order.")
    List<Path> files;

    @Option(names = "--markdown", paramLabel = "OUT.md", description = "Also write the tables as Markdown.")
    Path markdown;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write bar charts (total time, page requests, degradation) as PNGs here.")
    Path plots;

    @Option(names = "--simulated", split = ",", paramLabel = "FILE",
            description = "Also compare with these simulated results (migov simulate --csv): per cell, simulated ÷ lab median total time.")
    List<Path> simulated;

    @Override
    public Integer call() throws IOException {
        List<BenchRow> rows = new ArrayList<>();
        for (Path f : files) {
            rows.addAll(read(f));
        }
        if (rows.isEmpty()) {
            throw new BadInputException("--csv: no rows in " + files);
        }
        BenchTable table = BenchTable.of(rows);
        spec.commandLine().getOut().print(table.text());
        SimulationCheck check = null;
        if (simulated != null) {
            List<BenchRow> sim = new ArrayList<>();
            for (Path f : simulated) {
                sim.addAll(read(f));
            }
            check = SimulationCheck.of(table, BenchTable.of(sim));
            spec.commandLine().getOut().print("\n" + check.render(false));
        }
        if (markdown != null) {
            Outputs.write(markdown, "--markdown", table.markdown() + (check == null ? "" : "\n" + check.render(true)));
        }
        if (plots != null) {
            try {
                Files.createDirectories(plots);
                for (Path png : BenchCharts.write(table, plots)) {
                    spec.commandLine().getOut().println("plot: " + png);
                }
            } catch (IOException e) {
                throw new BadInputException("--plots: cannot write into " + plots + ": " + e.getMessage());
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    static List<BenchRow> read(Path f) {
        try {
            return BenchCsv.read(new StringReader(Outputs.readText(f, "--csv")), f.toString());
        } catch (IOException e) {
            throw new BadInputException("--csv: cannot read " + f + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
