// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.migov.core.policy.Observation;

import java.util.Objects;

/**
 * One line of a migration's in-flight journal ({@link MigrationJournal}): what a daemon restarted
 * mid-migration needs to take the migration up where it was. The policy's inputs are journalled, not
 * its state: policies are deterministic, so replaying the inputs into a fresh instance rebuilds the
 * same state whatever the policy keeps (KubeVirt's moving average, nova's step clock). Every libvirt
 * call is journalled as an {@link Intent} before it is made and an {@link Outcome} after, so a call the
 * killed daemon may or may not have made is checked against libvirt, never blindly repeated.
 * Key {@code k} names the kind: header, observed, refused, intent, outcome, note, finishing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "k")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JournalEntry.Header.class, name = "header"),
        @JsonSubTypes.Type(value = JournalEntry.Observed.class, name = "observed"),
        @JsonSubTypes.Type(value = JournalEntry.Refused.class, name = "refused"),
        @JsonSubTypes.Type(value = JournalEntry.Intent.class, name = "intent"),
        @JsonSubTypes.Type(value = JournalEntry.Outcome.class, name = "outcome"),
        @JsonSubTypes.Type(value = JournalEntry.Note.class, name = "note"),
        @JsonSubTypes.Type(value = JournalEntry.Finishing.class, name = "finishing")})
public sealed interface JournalEntry {

    /** The format's version, in every header; a journal of another version is settled without replay. */
    int VERSION = 1;

    /**
     * The first line: the migration as migov first saw it, and everything its decision was taken
     * on, so a restarted daemon neither recomputes it from a model that moved on nor re-reads a
     * downtime limit the killed daemon changed.
     *
     * @param jobStartEpochMillis  libvirt's start of the job (now − {@code time_elapsed}): with the
     *                             UUID, what tells this migration from a later one of the same VM
     * @param inPostCopyWhenSeen   the source was already paused in post-copy when migov first saw it
     */
    record Header(int version, String migrationId, String vm, long jobStartEpochMillis, String mode, String policy,
                  int stateAtStart, int decisionState, String strategy, String strategyReason, int behaviourLookAhead, double memoryIntensiveShare,
                  double netOutIntensiveShare, double netInIntensiveShare, int lookAhead, boolean postCopyPermitted, long memoryBytes,
                  double bandwidthBytesPerSecond, long allowedDowntimeMillis, boolean inPostCopyWhenSeen,
                  MigrationRecord.ModelAtStart model) implements JournalEntry {
        public Header {
            Objects.requireNonNull(migrationId, "migrationId");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(strategy, "strategy");
            model = model == null ? MigrationRecord.ModelAtStart.NONE : model;
        }
    }

    /**
     * One observation handed to the policy (a pass boundary or a poll), exactly as it was.
     *
     * @param dirtyRatePagesPerSecond null while libvirt did not know it (the observation's NaN)
     */
    record Observed(long elapsedMillis, int iteration, Double dirtyRatePagesPerSecond, long remainingBytes,
                    double transferRateBytesPerSecond, boolean newPass) implements JournalEntry {

        static Observed of(Observation o) {
            return new Observed(o.elapsedMillis(), o.iteration(), o.dirtyRateKnown() ? o.dirtyRatePagesPerSecond() : null,
                    o.remainingBytes(), o.transferRateBytesPerSecond(), o.newPass());
        }

        Observation observation() {
            return new Observation(elapsedMillis, iteration, dirtyRatePagesPerSecond == null ? Double.NaN : dirtyRatePagesPerSecond,
                    remainingBytes, transferRateBytesPerSecond, newPass);
        }
    }

    /**
     * libvirt refused the post-copy switch of intent {@code seq} (the migration was started without
     * post-copy): that intent ended not done, and the policy was told, with the last observation.
     * One line for both, so a kill cannot leave the one without the other.
     */
    record Refused(int seq) implements JournalEntry {
    }

    /**
     * An action about to be carried out on libvirt (fsynced before the call).
     *
     * @param seq  numbers the migration's intents from 1; its {@link Outcome} carries the same number
     * @param kind the action's record name: switch_to_postcopy | raise_downtime | abort
     */
    record Intent(int seq, String kind, int iteration, long downtimeMillis, String reason) implements JournalEntry {
    }

    /**
     * How the intent {@code seq} ended: {@code done} (in effect, at the migration's elapsed time
     * {@code elapsedMillis}) or not (given up, or failed: then {@code error} says how, else null).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Outcome(int seq, boolean done, long elapsedMillis, String error) implements JournalEntry {
        public Outcome(int seq, boolean done, long elapsedMillis) {
            this(seq, done, elapsedMillis, null);
        }
    }

    /**
     * A fact about the migration that no input reproduces.
     *
     * @param key  suppressed_by | postcopy_confirmed | postcopy_failed
     * @param value the text (suppressed_by), else empty
     */
    record Note(String key, String value) implements JournalEntry {
        public static final String SUPPRESSED_BY = "suppressed_by";
        public static final String POSTCOPY_CONFIRMED = "postcopy_confirmed";
        public static final String POSTCOPY_FAILED = "postcopy_failed";
    }

    /** The record about to be written (fsynced first): a daemon killed before it landed writes it, once. */
    record Finishing(MigrationRecord record) implements JournalEntry {
        public Finishing {
            Objects.requireNonNull(record, "record");
        }
    }
}
