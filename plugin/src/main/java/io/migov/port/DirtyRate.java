// SPDX-License-Identifier: Apache-2.0
package io.migov.port;

/**
 * The last dirty-rate calculation of a domain (virDomainStartDirtyRateCalc), as the
 * {@code dirtyrate.*} statistics group reports it. A value libvirt did not report is -1.
 *
 * @param status             {@code dirtyrate.calc_status}: 0 unstarted, 1 measuring, 2 measured
 * @param calcStartSeconds   {@code dirtyrate.calc_start_time}: QEMU's clock when the calculation
 *                           started; tells one calculation from the next
 * @param periodSeconds      {@code dirtyrate.calc_period}
 * @param mebibytesPerSecond {@code dirtyrate.megabytes_per_second} (MiB/s; libvirt's name), only when measured
 */
public record DirtyRate(int status, long calcStartSeconds, long periodSeconds, long mebibytesPerSecond) {
    public static final int UNSTARTED = 0;
    public static final int MEASURING = 1;
    public static final int MEASURED = 2;
    /** Nothing reported (no calculation ever ran, or the domain could not be asked). */
    public static final DirtyRate NONE = new DirtyRate(-1, -1, -1, -1);

    /** A finished calculation with a rate. */
    public boolean measured() {
        return status == MEASURED && mebibytesPerSecond >= 0;
    }

    public long bytesPerSecond() {
        return mebibytesPerSecond < 0 ? -1 : mebibytesPerSecond * 1024L * 1024L;
    }
}
