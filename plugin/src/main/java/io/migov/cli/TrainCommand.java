// SPDX-License-Identifier: Apache-2.0
package io.migov.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.migov.core.storage.InterferenceModelCodec;
import io.migov.core.storage.InterferenceTrainer;
import io.migov.core.storage.LabelledSample;
import io.migov.core.storage.TrainingResult;
import io.migov.replay.TraceFormatException;
import io.migov.storage.SamplesCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code migov train}: fits the storage-interference classifier (issue 11) on labelled per-second
 * host I/O samples and writes it in the {@code migov-interference} format. Nothing is written
 * unless every input is valid and the fit succeeded; the file is replaced atomically.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Fit the storage-interference classifier (logistic regression over iops², ln iops, io_ticks_s², "
                + "ln MiB/s, util_pct²; standardised; L2 λ=1) on per-second host I/O samples "
                + "(CSV t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label). Stratified 25 %% hold-out, "
                + "5-fold cross-validation on the other 75 %%; the model written is fitted on the 75 %%.",
                "Prints one JSON object: samples, accuracy, precision, recall, f1 (hold-out), cv_f1 (mean over the folds), "
                        + "research_f1 (the shipped research model on the same hold-out)."})
final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--samples", required = true, split = ",", paramLabel = "FILE.csv",
            description = "Labelled samples with header t,iops,io_ticks_ms,throughput_bytes_per_s,util_pct,label "
                    + "(label 1 where co-located I/O suffers); several files are pooled.")
    List<Path> samples;

    @Option(names = "--out", required = true, paramLabel = "MODEL.json", description = "Model file to write (replaced atomically).")
    Path out;

    @Option(names = "--seed", defaultValue = "" + InterferenceTrainer.DEFAULT_SEED, paramLabel = "N",
            description = "Seed of the shuffle that splits hold-out and folds (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        Outputs.replaceableTarget(out); // before any input is read
        List<LabelledSample> all = new ArrayList<>();
        for (Path file : samples) {
            all.addAll(load(file));
        }
        TrainingResult result;
        try {
            result = InterferenceTrainer.train(all, seed);
        } catch (IllegalArgumentException e) {
            // the trainer names its input "samples"; here that is the option
            throw new BadInputException("--samples: " + e.getMessage().replaceFirst("^samples: ", ""));
        }
        String model = InterferenceModelCodec.encode(result.model());
        Outputs.replaceAtomically(out, w -> {
            w.write(model);
            w.write('\n');
        });

        ObjectMapper json = new ObjectMapper();
        ObjectNode summary = json.createObjectNode();
        summary.put("samples", result.samples());
        summary.put("accuracy", result.holdOut().accuracy());
        summary.put("precision", result.holdOut().precision());
        summary.put("recall", result.holdOut().recall());
        summary.put("f1", result.holdOut().f1());
        summary.put("cv_f1", result.cvF1());
        summary.put("research_f1", result.researchHoldOut().f1());
        spec.commandLine().getOut().println(json.writeValueAsString(summary));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static List<LabelledSample> load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return SamplesCsv.read(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new BadInputException("--samples: no such file: " + file);
        } catch (MalformedInputException e) {
            throw new BadInputException("--samples " + file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new BadInputException("--samples: cannot read " + file + ": " + e.getMessage());
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
