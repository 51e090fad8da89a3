// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Runs every second and writes the models whose metadata-sync or checkpoint interval (from the
 * current settings) has elapsed, then measures write intensity: the profiler's slower libvirt calls,
 * kept off its tick. Never run concurrently; a late run is skipped, not queued.
 */
@DisallowConcurrentExecution
public final class PersistenceJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(PersistenceJob.class);
    private final ScheduledWork work;
    private final FailureStreak failures = new FailureStreak(LOG, "model persistence");
    private final FailureStreak writeFailures = new FailureStreak(LOG, "write-intensity measurement");

    public PersistenceJob(ScheduledWork work) {
        this.work = Objects.requireNonNull(work, "work");
    }

    @Override
    public void execute(JobExecutionContext context) {
        failures.run(work::persistModels);
        writeFailures.run(work::measureWriteIntensity);
    }
}
