// SPDX-License-Identifier: Apache-2.0
package io.migov.core.storage;

/**
 * A training example: one second of host I/O and whether co-located I/O suffered in it.
 */
public record LabelledSample(HostIoSample sample, boolean interference) {

    public LabelledSample {
        if (sample == null) {
            throw new IllegalArgumentException("sample: expected a host I/O sample, got null");
        }
    }
}
