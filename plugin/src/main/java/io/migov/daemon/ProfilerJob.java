// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/** The per-second profiler tick. One instance, never run concurrently; a late tick is skipped, not queued. */
@DisallowConcurrentExecution
public final class ProfilerJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(ProfilerJob.class);
    private final ScheduledWork work;
    private final FailureStreak failures = new FailureStreak(LOG, "profiler tick");

    public ProfilerJob(ScheduledWork work) {
        this.work = Objects.requireNonNull(work, "work");
    }

    @Override
    public void execute(JobExecutionContext context) {
        failures.run(work::tick);
    }
}
