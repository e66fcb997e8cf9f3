package aleph.pipeline.jobs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.partitions.MaintenanceRun;
import aleph.pipeline.db.partitions.PartitionMaintainer;

/**
 * Runs the partition maintainer at start-up and then every {@code partitions.maintenance.interval.ms} on one
 * daemon thread. A failed run is logged with its reason and simply retried on the next tick: nothing here
 * throws into the pipeline, and the pipeline never waits for a run. Several instances may run it at once
 * (the maintainer's advisory lock makes all but one skip).
 *
 * <p>Wiring: {@code new PartitionMaintenanceScheduler(maintainer, config)}, {@link #start()} after migrations,
 * {@link #close()} on shutdown.
 */
public final class PartitionMaintenanceScheduler implements AutoCloseable {

  public static final String TRIGGER_STARTUP = "startup";
  public static final String TRIGGER_SCHEDULE = "schedule";

  private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenanceScheduler.class);

  private final Function<String, MaintenanceRun> task;
  private final Duration interval;
  private final ScheduledExecutorService executor;
  private final AtomicLong ticks = new AtomicLong();

  public PartitionMaintenanceScheduler(final PartitionMaintainer maintainer, final PipelineConfig config) {
    this(maintainer::maintain, Duration.ofMillis(config.getLong(PipelineConfig.PARTITIONS_MAINTENANCE_INTERVAL_MS)));
  }

  /** {@code task} gets the trigger name ({@value #TRIGGER_STARTUP}, then {@value #TRIGGER_SCHEDULE}). */
  public PartitionMaintenanceScheduler(final Function<String, MaintenanceRun> task, final Duration interval) {
    this.task = task;
    this.interval = interval;
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      final Thread thread = new Thread(runnable, "partition-maintenance");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Schedules the start-up run now and the periodic runs after it; returns at once. */
  public void start() {
    LOG.info("Partition maintenance every {} (first run now)", interval);
    executor.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs completed or attempted so far (for tests and metrics). */
  public long ticks() {
    return ticks.get();
  }

  private void tick() {
    final String trigger = ticks.get() == 0 ? TRIGGER_STARTUP : TRIGGER_SCHEDULE;
    try {
      task.apply(trigger);
    } catch (Throwable e) {
      // A scheduled task that throws is never run again by the executor: log, keep the schedule, retry next tick.
      LOG.error("Partition maintenance run failed: {}; retried in {}", e, interval);
    } finally {
      ticks.incrementAndGet();
    }
  }

  /** Stops scheduling and waits briefly for a run in progress (its open transaction rolls back if cut off). */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("Partition maintenance did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
