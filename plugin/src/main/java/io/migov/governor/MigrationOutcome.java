// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import com.fasterxml.jackson.annotation.JsonValue;
import io.migov.port.DomainState;
import io.migov.port.JobStats;

import java.util.Arrays;
import java.util.Objects;
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
     * How a watched migration ended while its VM is still on this host, from the job's end. A VM
     * that left this host is judged by {@link #ofVanished} instead: leaving proves nothing.
     *
     * @param end             the job's final statistics type (NONE when libvirt gave none)
     * @param abortedByMigov  the last action carried out was migov's abort
     */
    public static MigrationOutcome of(JobStats.Type end, boolean abortedByMigov) {
        return switch (end) {
            case COMPLETED -> COMPLETED;
            case CANCELLED -> abortedByMigov ? ABORTED : CANCELLED;
            default -> abortedByMigov ? ABORTED : FAILED;
        };
    }

    /** Why a VM that left this host is not recorded completed when nothing shows where it went. */
    static final String NO_EVIDENCE = "left this host without evidence that the destination has it";

    /**
     * An outcome with the words that explain it.
     *
     * @param outcome  how the migration ended
     * @param why      why it is judged so, for the record's {@code error}; null when the outcome is completed
     */
    record Judged(MigrationOutcome outcome, String why) {
        Judged {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * How a watched migration ended when its VM left this host, from the strongest evidence there is.
     * Completed only on a sign of the migration's success on this host (JOB_COMPLETED, or stopped or
     * shut off with reason migrated), or on the domain running on a peer host; stopped for any other reason is failed; a domain libvirt no
     * longer knows, or one shut off for a reason libvirt lost (unknown: a libvirtd restart forgets
     * it), is unknown, never completed by default.
     *
     * @param evidence        what this host still tells
     * @param abortedByMigov  the last action carried out was migov's abort (then the job ended by it, not by the stop)
     */
    static Judged ofVanished(VanishEvidence evidence, boolean abortedByMigov) {
        Objects.requireNonNull(evidence, "evidence");
        if (evidence instanceof VanishEvidence.JobCompleted) {
            return new Judged(COMPLETED, null);
        }
        if (evidence instanceof VanishEvidence.Stopped s) {
            return s.detail() == VanishEvidence.Stopped.MIGRATED ? new Judged(COMPLETED, null)
                    : failed(abortedByMigov, "stopped on the source (" + s.word() + ") during the migration");
        }
        if (evidence instanceof VanishEvidence.StateAfter a) {
            DomainState st = a.state();
            if (st.state() != DomainState.SHUTOFF) {
                // defined and active here again: whatever happened, it is not evidence of arrival
                return new Judged(UNKNOWN, NO_EVIDENCE + " (libvirt: " + activeWord(st) + " here)");
            }
            return switch (st.reason()) {
                case DomainState.SHUTOFF_MIGRATED -> new Judged(COMPLETED, null);
                case DomainState.SHUTOFF_UNKNOWN -> new Judged(UNKNOWN, NO_EVIDENCE + " (libvirt: shut off, reason unknown)");
                default -> failed(abortedByMigov, "shut off on the source (" + a.shutoffWord() + ") during the migration");
            };
        }
        if (evidence instanceof VanishEvidence.OnPeer p) {
            // running there is the destination having it; paused there (post-copy failed, or not yet resumed) is not yet
            return p.state().state() == DomainState.RUNNING ? new Judged(COMPLETED, null)
                    : new Judged(UNKNOWN, NO_EVIDENCE + " (" + p.peerUri() + ": " + activeWord(p.state()) + " there)");
        }
        return new Judged(UNKNOWN, NO_EVIDENCE);
    }

    private static Judged failed(boolean abortedByMigov, String why) {
        return new Judged(abortedByMigov ? ABORTED : FAILED, why);
    }

    private static String activeWord(DomainState st) {
        return switch (st.state()) {
            case DomainState.RUNNING -> "running";
            case DomainState.PAUSED -> "paused";
            case DomainState.SHUTOFF -> "shut off";
            default -> "state " + st.state() + ", reason " + st.reason();
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
