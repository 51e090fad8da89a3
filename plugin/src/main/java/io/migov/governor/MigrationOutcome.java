// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import com.fasterxml.jackson.annotation.JsonValue;
import io.migov.port.JobStats;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a migration ended: the one vocabulary of the record's {@code outcome}, the Migrations MBean,
 * {@code migov migrations} and {@code migov report} (its table and its charts). The lab's
 * {@code MIGRATE} lines use the same words; testbed/README.md ("Outcome words") maps what the lab
 * and the bench CSV say to these.
 */
public enum MigrationOutcome {

    COMPLETED("completed", "the VM arrived on the destination"),
    ABORTED("aborted", "migov aborted it: its policy's abort action"),
    CANCELLED("cancelled", "libvirt reported it cancelled by a client other than migov"),
    FAILED("failed", "it ended without the VM arriving and migov did not abort it: an error, or a cancel by another client "
            + "that libvirt did not report as one"),
    UNKNOWN("unknown", "the record does not say");

    private final String word;
    private final String meaning;

    MigrationOutcome(String word, String meaning) {
        this.word = word;
        this.meaning = meaning;
    }

    /** The word written to the record and shown everywhere. */
    @JsonValue
    public String word() {
        return word;
    }

    /** One clause defining the word, for legends and attribute descriptions. */
    public String meaning() {
        return meaning;
    }

    @Override
    public String toString() {
        return word;
    }

    /** The outcome a record's word names; empty for a word outside the vocabulary. A missing or blank word is {@link #UNKNOWN}. */
    public static Optional<MigrationOutcome> ofWord(String word) {
        if (word == null || word.isBlank()) {
            return Optional.of(UNKNOWN);
        }
        return Arrays.stream(values()).filter(o -> o.word.equals(word)).findFirst();
    }

    /**
     * How a watched migration ended, from what the source's daemon saw.
     *
     * @param end             the job's final statistics type (NONE when libvirt gave none)
     * @param departed        the VM left this host
     * @param abortedByMigov  the last action carried out was migov's abort
     */
    public static MigrationOutcome of(JobStats.Type end, boolean departed, boolean abortedByMigov) {
        return switch (end) {
            case COMPLETED -> COMPLETED;
            case FAILED -> abortedByMigov ? ABORTED : FAILED;
            case CANCELLED -> abortedByMigov ? ABORTED : CANCELLED;
            default -> departed ? COMPLETED : abortedByMigov ? ABORTED : FAILED;
        };
    }

    /** Every word with its meaning, {@code "completed (…) | aborted (…) | …"}: the definition used by legends and descriptions. */
    public static String definitions() {
        return Arrays.stream(values()).map(o -> o.word + " (" + o.meaning + ")").collect(Collectors.joining(" | "));
    }

    /** Every word, {@code "completed | aborted | …"}. */
    public static String words() {
        return Arrays.stream(values()).map(MigrationOutcome::word).collect(Collectors.joining(" | "));
    }
}
