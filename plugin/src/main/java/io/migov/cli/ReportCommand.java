// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.migov.report.MigrationChart;
import io.migov.report.StorageChart;
import io.migov.report.RecordsFile;
import io.migov.report.ReportPage;
import io.migov.report.ReportTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code migov report}: the migration records as a table, and optionally one PNG per migration. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print migration records (migrations.jsonl files) as a table; with --plots DIR also write one PNG per migration "
                + "and an index.html with the table and every chart.")
final class ReportCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--records", required = true, split = ",", paramLabel = "FILE", description = "migrations.jsonl file(s), comma-separated.")
    List<Path> files;

    @Option(names = "--label", split = ",", paramLabel = "TEXT", description = "Row labels, in record order.")
    List<String> labels;

    @Option(names = "--direction", split = ",", paramLabel = "FROM->TO",
            description = "Each migration's direction, e.g. A->B: one per record, in start order (the table's); the records name only the source.")
    List<String> directions;

    @Option(names = "--postcopy-permitted", split = ",", paramLabel = "yes|no",
            description = "Whether each migration was started with post-copy allowed: one per record, in start order; the records do not say.")
    List<String> postcopyPermitted;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write <label or index>-<vm>.png per migration here, and index.html showing the table and every chart.")
    Path plots;

    @Override
    public Integer call() throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (Path f : files) {
            try {
                records.addAll(RecordsFile.read(f));
            } catch (NoSuchFileException e) {
                throw new BadInputException("--records: no such file: " + f);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        records.sort(java.util.Comparator.comparingLong(r -> r.path("start_epoch_millis").asLong()));
        perRecord("--direction", directions, records.size());
        perRecord("--postcopy-permitted", postcopyPermitted, records.size());
        for (String d : directions == null ? List.<String>of() : directions) {
            if (d.isBlank()) {
                throw new BadInputException("--direction: empty value in '" + String.join(",", directions) + "'");
            }
        }
        for (String p : postcopyPermitted == null ? List.<String>of() : postcopyPermitted) {
            if (!p.equals("yes") && !p.equals("no")) {
                throw new BadInputException("--postcopy-permitted: expected yes or no, got '" + p + "'");
            }
        }
        ReportTable.RowFacts facts = new ReportTable.RowFacts(labels, directions, postcopyPermitted);
        String table;
        try {
            table = ReportTable.render(records, facts);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--postcopy-permitted: " + e.getMessage());
        }
        spec.commandLine().getOut().print(table);
        if (plots != null) {
            Files.createDirectories(plots);
            List<Path> charts = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                String label = labels != null && i < labels.size() ? labels.get(i) : String.format("%02d", i + 1);
                String stem = (label + "-" + records.get(i).path("vm").asText()).replaceAll("[^A-Za-z0-9._-]", "_");
                Path png = MigrationChart.write(records.get(i), plots, stem);
                charts.add(png);
                spec.commandLine().getOut().println("plot: " + png);
                if (StorageChart.applies(records.get(i))) {
                    // beside the migration's chart, not in the page's list (one chart per table row)
                    Path storagePng = StorageChart.write(records.get(i), plots, stem);
                    spec.commandLine().getOut().println("plot: " + storagePng);
                }
            }
            spec.commandLine().getOut().println("page: " + ReportPage.write(plots, records, facts, charts));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** A per-record list must name every record: one short or long would put facts on the wrong rows. */
    private static void perRecord(String option, List<String> values, int records) {
        if (values != null && values.size() != records) {
            throw new BadInputException(option + ": " + values.size() + (values.size() == 1 ? " value" : " values") + " for " + records
                    + (records == 1 ? " record" : " records") + " (one per record, in start order)");
        }
    }
}
