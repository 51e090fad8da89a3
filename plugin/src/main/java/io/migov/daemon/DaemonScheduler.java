// SPDX-License-Identifier: Apache-2.0
package io.migov.daemon;

import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.KeyMatcher;
import org.quartz.listeners.TriggerListenerSupport;
import org.quartz.simpl.RAMJobStore;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Date;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The daemon's Quartz scheduler: in memory (RAMJobStore), two threads, two jobs every second —
 * {@link ProfilerJob} and {@link PersistenceJob} (half a second later). Both are
 * {@code @DisallowConcurrentExecution} with misfire instruction "next with remaining count": a run
 * that overruns makes the following fire times misfire, and those are skipped, never queued up as
 * catch-up runs. Each skipped profiler tick is reported through {@link ScheduledWork#recordMissedTick()}.
 * Jobs get their {@link ScheduledWork} from this class's {@link JobFactory}, not from the classpath.
 */
public final class DaemonScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonScheduler.class);

    /** The profiler's period; fixed by design (one sample per second). */
    public static final long TICK_MILLIS = 1000;
    /** A fire time this late counts as missed. */
    public static final long MISFIRE_THRESHOLD_MILLIS = 500;
    static final JobKey PROFILER_JOB = JobKey.jobKey("profiler", "migov");
    static final JobKey PERSISTENCE_JOB = JobKey.jobKey("persistence", "migov");
    static final TriggerKey PROFILER_TRIGGER = TriggerKey.triggerKey("profiler-every-second", "migov");
    static final TriggerKey PERSISTENCE_TRIGGER = TriggerKey.triggerKey("persistence-every-second", "migov");
    private static final long MISSED_TICK_WARN_INTERVAL_MILLIS = 60_000;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Scheduler scheduler;

    private DaemonScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Creates the scheduler, schedules both jobs and starts it. */
    public static DaemonScheduler start(ScheduledWork work) throws SchedulerException {
        return start(work, System::currentTimeMillis);
    }

    static DaemonScheduler start(ScheduledWork work, LongSupplier wallMillis) throws SchedulerException {
        Objects.requireNonNull(work, "work");
        Scheduler scheduler = new StdSchedulerFactory(properties()).getScheduler();
        try {
            scheduler.setJobFactory(new Jobs(work));
            scheduler.getListenerManager().addTriggerListener(new MissedTicks(work, wallMillis), KeyMatcher.keyEquals(PROFILER_TRIGGER));
            long now = wallMillis.getAsLong();
            scheduler.scheduleJob(job(ProfilerJob.class, PROFILER_JOB), everySecond(PROFILER_TRIGGER, new Date(now)));
            scheduler.scheduleJob(job(PersistenceJob.class, PERSISTENCE_JOB),
                    everySecond(PERSISTENCE_TRIGGER, new Date(now + TICK_MILLIS / 2)));
            scheduler.start();
        } catch (SchedulerException | RuntimeException e) {
            scheduler.shutdown(false);
            throw e;
        }
        return new DaemonScheduler(scheduler);
    }

    /** Stops firing and waits for running jobs to finish. */
    public void shutdown() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            LOG.warn("scheduler shutdown: {}", e.getMessage());
        }
    }

    public boolean isShutdown() {
        try {
            return scheduler.isShutdown();
        } catch (SchedulerException e) {
            return true;
        }
    }

    static Properties properties() {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "migov-" + INSTANCES.incrementAndGet());
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true"); // no-op since 2.3 (the check was removed); kept explicit
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, SimpleThreadPool.class.getName());
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "migov-job");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, RAMJobStore.class.getName());
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(MISFIRE_THRESHOLD_MILLIS));
        return p;
    }

    private static JobDetail job(Class<? extends Job> type, JobKey key) {
        return JobBuilder.newJob(type).withIdentity(key).build();
    }

    private static SimpleTrigger everySecond(TriggerKey key, Date start) {
        return TriggerBuilder.newTrigger().withIdentity(key).startAt(start)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(TICK_MILLIS)
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }

    /** One instance per job class, handed to Quartz on every firing. */
    private static final class Jobs implements JobFactory {
        private final ProfilerJob profiler;
        private final PersistenceJob persistence;

        Jobs(ScheduledWork work) {
            this.profiler = new ProfilerJob(work);
            this.persistence = new PersistenceJob(work);
        }

        @Override
        public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
            Class<? extends Job> type = bundle.getJobDetail().getJobClass();
            if (type == ProfilerJob.class) {
                return profiler;
            }
            if (type == PersistenceJob.class) {
                return persistence;
            }
            throw new SchedulerException("no such migov job: " + type.getName());
        }
    }

    /**
     * Counts the profiler fire times skipped at a misfire: Quartz reports a misfire once, with the
     * first missed fire time, and moves on to the first fire time after now; every slot in between
     * is one missed tick.
     */
    private static final class MissedTicks extends TriggerListenerSupport {
        private final ScheduledWork work;
        private final LongSupplier wallMillis;
        private long missedSinceWarning;
        private long lastWarningMillis = Long.MIN_VALUE;

        MissedTicks(ScheduledWork work, LongSupplier wallMillis) {
            this.work = work;
            this.wallMillis = wallMillis;
        }

        @Override
        public String getName() {
            return "migov-missed-ticks";
        }

        @Override
        public void triggerMisfired(Trigger trigger) {
            long now = wallMillis.getAsLong();
            long missed = missedSlots(trigger.getNextFireTime(), now);
            for (long i = 0; i < missed; i++) {
                work.recordMissedTick();
            }
            missedSinceWarning += missed;
            if (lastWarningMillis == Long.MIN_VALUE || now - lastWarningMillis >= MISSED_TICK_WARN_INTERVAL_MILLIS) {
                LOG.warn("{} profiler tick(s) skipped: a tick overran its second (next warning in a minute at the earliest)",
                        missedSinceWarning);
                missedSinceWarning = 0;
                lastWarningMillis = now;
            }
        }
    }

    /** Fire times in [firstMissed, now], one per period; at least one. */
    static long missedSlots(Date firstMissed, long nowMillis) {
        if (firstMissed == null || nowMillis < firstMissed.getTime()) {
            return 1;
        }
        return (nowMillis - firstMissed.getTime()) / TICK_MILLIS + 1;
    }
}
