// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import java.io.IOException;
import java.util.Optional;

/** Durable per-VM model checkpoints (the daemon's state dir), keyed by domain UUID. */
public interface ModelStore {

    Optional<String> load(String uuid) throws IOException;

    /** Replaces the checkpoint atomically: a reader sees the old or the new one, never a mix. */
    void save(String uuid, String modelJson) throws IOException;
}
