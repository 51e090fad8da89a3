// SPDX-License-Identifier: Apache-2.0
package io.migov.core.policy;

import io.migov.core.Action;

/**
 * How one migration is steered: migov's own rule, or a peer's. One instance per migration, fed in
 * order and from one thread; not thread-safe. Pure: no clock, no libvirt; every answer is at most
 * one {@link Action} (none, switch_to_postcopy, raise_downtime = set the max downtime, abort) with
 * its reason. The runner carries out each action that is not none, at most once: a policy that
 * wants several (nova's downtime steps) returns them one observation at a time.
 */
public interface MigrationPolicy {

    /** The policy's name as configured ({@code policy} key) and recorded. */
    String name();

    /** Called once, when the migration is first seen, before any observation. */
    Action start(MigrationContext context);

    /** Called at every pass boundary and at every poll between passes, in time order. */
    Action observe(Observation observation);

    /**
     * libvirt refused a switch to post-copy: the migration was started without it. Returns what to
     * do instead (by default nothing: most peers only know post-copy); {@code last} is null when
     * the switch was asked for before any observation.
     */
    default Action postCopyRefused(Observation last) {
        return Action.none(last == null ? 0 : last.iteration(), name() + ": post-copy not permitted on this migration; leaving it to pre-copy");
    }

    /** What the policy will do next, for operators (MBeans, CLI). */
    String plan();
}
