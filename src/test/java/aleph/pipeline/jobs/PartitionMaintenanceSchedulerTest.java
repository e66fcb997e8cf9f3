package aleph.pipeline.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import aleph.pipeline.db.partitions.MaintenanceRun;
import aleph.pipeline.db.partitions.MaintenanceRun.Outcome;

class PartitionMaintenanceSchedulerTest {

  @Test
  void shouldRunAtStartupThenOnScheduleWhenStarted() {
    // Given
    final List<String> triggers = new CopyOnWriteArrayList<>();
    final PartitionMaintenanceScheduler scheduler = new PartitionMaintenanceScheduler(trigger -> {
      triggers.add(trigger);
      return run(trigger);
    }, Duration.ofMillis(50));

    // When
    scheduler.start();

    // Then
    try (scheduler) {
      await().atMost(Duration.ofSeconds(10)).until(() -> triggers.size() >= 3);
      final List<String> seen = List.copyOf(triggers);
      assertThat(seen.get(0)).isEqualTo(PartitionMaintenanceScheduler.TRIGGER_STARTUP);
      assertThat(seen.subList(1, seen.size())).containsOnly(PartitionMaintenanceScheduler.TRIGGER_SCHEDULE);
    }
  }

  @Test
  void shouldKeepTickingWhenARunThrows() {
    // Given
    final AtomicInteger calls = new AtomicInteger();
    final PartitionMaintenanceScheduler scheduler = new PartitionMaintenanceScheduler(trigger -> {
      if (calls.incrementAndGet() <= 2) {
        throw new IllegalStateException("database gone");
      }
      return run(trigger);
    }, Duration.ofMillis(50));

    // When
    scheduler.start();

    // Then
    try (scheduler) {
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 4);
      assertThat(scheduler.ticks()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void shouldStopTickingWhenClosed() {
    // Given
    final AtomicInteger calls = new AtomicInteger();
    final PartitionMaintenanceScheduler scheduler = new PartitionMaintenanceScheduler(trigger -> {
      calls.incrementAndGet();
      return run(trigger);
    }, Duration.ofMillis(20));
    scheduler.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1);

    // When
    scheduler.close();
    final int afterClose = calls.get();

    // Then
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> calls.get() == afterClose);
  }

  private static MaintenanceRun run(final String trigger) {
    final Instant now = Instant.now();
    return new MaintenanceRun(trigger, "test", now, now, Outcome.SUCCEEDED, List.of(), List.of(), 0, List.of(),
        List.of());
  }
}
