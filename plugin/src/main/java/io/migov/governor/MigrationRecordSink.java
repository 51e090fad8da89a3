// SPDX-License-Identifier: Apache-2.0
package io.migov.governor;

import java.io.IOException;

/** Where finished migrations go ({@code migrations.jsonl} in the state dir). */
public interface MigrationRecordSink {
    void write(MigrationRecord record) throws IOException;
}
