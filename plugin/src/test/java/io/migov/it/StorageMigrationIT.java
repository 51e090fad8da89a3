// SPDX-License-Identifier: Apache-2.0
package io.migov.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.migov.testbed.Lab;
import io.migov.testbed.LabExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A storage migration beside a co-located disk workload, with migov's storage steering on (issue
 * 11): the smoke of {@code testbed/bench/storage-eval} — a VM with its disk migrated A → B with
 * --copy-storage while diskio hammers the same disk, once with the daemon enforcing and once only
 * advising (the uncontrolled copy at the migration's 100 MiB/s), with an interference model
 * calibrated on this machine right before (a labelled recording trained with {@code migov train}:
 * a model fitted on another disk does not fire on this one) and the daemon in host A's mount
 * namespace (prefetch reads the image path libvirt reports). The co-located workload's ops/s are
 * normalised to its nominal rate measured alone just before each run.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
@ExtendWith(LabExtension.class)
class StorageMigrationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024L * 1024L;

    private final Lab lab;

    StorageMigrationIT(Lab lab) {
        this.lab = lab;
    }

    /**
     * Everything this test measures rests on a shared virtual disk whose rate swings on its own and on a model
     * calibrated on it minutes before: this machine, 2026-12-04, saw the neighbour swing from 3 k to 21 k reads/s
     * within one calibration, and in one CI run fall to a quarter of nominal for 40 s while migov held the copy at
     * 1 MiB/s; on the owners' CI the same day a model calibrated there gave every second of a 100 MiB/s copy beside
     * the neighbour p ≤ 0.28 and never fired. So when the steering's result misses (the classifier did not fire, the
     * copy was not cut, the neighbour was not spared), the smoke is run once more, whole, calibration included, and
     * each attempt's digest is printed. A steering that is broken misses both; a failing script, a failed
     * migration or a record without the storage series fails at once.
     */
    private static final int ATTEMPTS = 2;

    /**
     * Below this loss of the neighbour's nominal rate under the uncontrolled copy, this disk has nothing for the
     * steering to spare (a fast disk serves a 100 MiB/s copy beside the neighbour): the test then asserts only that
     * migov did no harm, and says so. The committed evaluations' disk lost 0.26–0.47 of nominal to that copy.
     */
    private static final double LOSS_WORTH_STEERING = 0.10;

    @Test
    void storageSteering_neighbourAlreadyRunning_throttlesTheCopyAndSparesTheNeighbour() throws Exception {
        AssertionError missed = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                smoke(Path.of("target", attempt == 1 ? "it-storage-eval" : "it-storage-eval-" + attempt).toAbsolutePath());
                return;
            } catch (SteeringMissed e) {
                System.out.println("StorageMigrationIT, attempt " + attempt + " of " + ATTEMPTS + " missed: " + e.getMessage());
                if (missed != null) {
                    e.addSuppressed(missed);
                }
                missed = e;
            }
        }
        throw missed;
    }

    /** The smoke ran whole and recorded its series, but the steering's result missed on this attempt. */
    private static final class SteeringMissed extends AssertionError {
        SteeringMissed(String message) {
            super(message);
        }
    }

    private void smoke(Path out) throws Exception {
        Path script = lab.script().toAbsolutePath().getParent().resolve("bench/storage-eval");
        Process p = new ProcessBuilder(script.toString(), "--smoke", "--scenarios", "running", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(p.waitFor(18, TimeUnit.MINUTES), "storage-eval --smoke did not finish within 18 minutes");
        assertEquals(0, p.exitValue(), "storage-eval --smoke exit code");

        Map<String, Map<String, String>> runs = runs(out.resolve("runs.csv"));
        Map<String, String> uncontrolled = runs.get("running/uncontrolled");
        Map<String, String> migov = runs.get("running/migov");
        assertEquals("completed", uncontrolled.get("outcome"));
        assertEquals("completed", migov.get("outcome"));

        JsonNode storage = JSON.readTree(Files.readAllLines(out.resolve("records.jsonl"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"lever\":\"applied\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no record with storage steering applied in " + out))).path("storage");
        assertTrue(storage.path("series").size() >= storage.path("steps").asInt() / 2, "the per-second series for the plot: " + storage);

        // what a failed run on another machine needs to be understood: every second of the controlled copy, the
        // calibration it was steered by, and both runs
        String digest = digest(storage, out.resolve("colo").resolve("rep1-running-migov.log"), migov.get("nominal_ops"))
                + "\ncalibration: " + calibration(out) + "\nuncontrolled: " + uncontrolled + "\nmigov: " + migov;
        System.out.println("StorageMigrationIT, the controlled copy second by second:\n" + digest);
        double ratioUncontrolled = Double.parseDouble(uncontrolled.get("colo_ratio"));
        double ratioMigov = Double.parseDouble(migov.get("colo_ratio"));
        if (ratioMigov < 0.8) {
            throw new SteeringMissed("the neighbour's rate under migov, normalised to nominal: " + ratioMigov + "\n" + digest);
        }
        if (1 - ratioUncontrolled < LOSS_WORTH_STEERING) {
            System.out.println("StorageMigrationIT: on this disk the uncontrolled copy cost the neighbour " + (1 - ratioUncontrolled)
                    + " of its nominal rate (below " + LOSS_WORTH_STEERING + "): nothing to spare, the steering's cut is not exercised;"
                    + " migov left the neighbour " + ratioMigov);
            return;
        }
        // the classifier saw the neighbour (a second at or above the default on-probability; the hysteresis may not
        // switch on when the PID's first cut already makes the next second quiet) and the PID cut the copy hard
        if (storage.path("max_probability").asDouble() < 0.5) {
            throw new SteeringMissed("the classifier never saw the neighbour (max probability below 0.5)\n" + digest);
        }
        if (storage.path("speed_sets").asInt() < 1 || storage.path("min_speed_bytes_per_second").asLong() > 25 * MIB) {
            throw new SteeringMissed("the copy speed set on libvirt was not cut to a quarter of the migration's 100 MiB/s or less\n" + digest);
        }
        // the neighbour's loss, not its ratio: how much an uncontrolled copy hurts depends on the disk (this machine's
        // virtual disk drifted from 13 k to 30 k reads/s in one afternoon; the uncontrolled copy left 0.53 then 0.74)
        if (1 - ratioMigov > 0.7 * (1 - ratioUncontrolled)) {
            throw new SteeringMissed("migov spares the neighbour at least 30 % of what the uncontrolled copy costs it: " + ratioMigov
                    + " vs uncontrolled " + ratioUncontrolled + "\n" + digest);
        }
    }

    /** The calibration's per-phase summary and the trained model's scores, as storage-eval wrote them. */
    private static String calibration(Path out) throws Exception {
        StringBuilder b = new StringBuilder();
        for (Path f : List.of(out.resolve("calibration").resolve("summary.txt"), out.resolve("calibration").resolve("train.json"))) {
            b.append('\n').append(Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).strip() : "(no " + f.getFileName() + ")");
        }
        if (Files.isDirectory(out.resolve("calibration-rejected"))) {
            b.append("\n(a first recording was rejected for a cross-validated F1 below 0.6)");
        }
        return b.toString();
    }

    /**
     * The controlled copy in runs of seconds at one speed ("seconds 3-17: 1.0 MiB/s, p 0.31-0.62, on 12 s"), and the
     * neighbour's ops/s as shares of its nominal rate (per second, or 5-second means for a long copy): short enough to
     * stay whole in a CI log's tail.
     */
    private static String digest(JsonNode storage, Path coloLog, String nominalOps) throws Exception {
        StringBuilder b = new StringBuilder();
        List<JsonNode> points = new ArrayList<>();
        storage.path("series").forEach(points::add);
        for (int i = 0; i < points.size(); ) {
            double speed = speedMiB(points.get(i));
            int j = i;
            double low = 1;
            double high = 0;
            int on = 0;
            while (j < points.size() && speedMiB(points.get(j)) == speed) {
                double p = points.get(j).path("probability").asDouble();
                low = Math.min(low, p);
                high = Math.max(high, p);
                on += points.get(j).path("interference").asBoolean() ? 1 : 0;
                j++;
            }
            b.append(String.format("seconds %.0f-%.0f: %.1f MiB/s, p %.2f-%.2f, on %d s%n", points.get(i).path("second").asDouble(),
                    points.get(j - 1).path("second").asDouble(), speed, low, high, on));
            i = j;
        }
        List<Double> shares = new ArrayList<>();
        if (Files.exists(coloLog)) {
            double nominal = Double.parseDouble(nominalOps);
            for (String line : Files.readAllLines(coloLog, StandardCharsets.UTF_8)) {
                int at = line.indexOf(" ops=");
                if (line.contains(" MIGOV diskio t=") && at > 0) {
                    shares.add(Double.parseDouble(line.substring(at + 5).split(" ", 2)[0]) / nominal);
                }
            }
        }
        int group = shares.size() > 60 ? 5 : 1;
        b.append("neighbour's ops/s / nominal ").append(nominalOps).append(group > 1 ? " (5-second means):" : ":");
        for (int i = 0; i < shares.size(); i += group) {
            List<Double> g = shares.subList(i, Math.min(shares.size(), i + group));
            b.append(String.format(" %.2f", g.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        }
        return b.toString();
    }

    /** A series point's copy speed in MiB/s, to 0.1: the digest's runs are seconds at one such speed. */
    private static double speedMiB(JsonNode point) {
        return Math.round(point.path("speed_bytes_per_second").asDouble() / MIB * 10) / 10.0;
    }

    private static Map<String, Map<String, String>> runs(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        Map<String, Map<String, String>> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < cells.size() ? cells.get(i) : "");
            }
            out.put(row.get("scenario") + "/" + row.get("policy"), row);
        }
        return out;
    }
}
