package aleph.pipeline.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.partitions.ConnectionSource;
import aleph.pipeline.db.partitions.MaintenanceRun;
import aleph.pipeline.db.partitions.PartitionInterval;
import aleph.pipeline.db.partitions.PartitionMaintainer;
import aleph.pipeline.db.partitions.PartitionStatusService;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;

@ExtendWith(PipelineInfra.class)
class PartitionMaintenanceSchedulerIT {

  @Test
  void shouldMaintainAtStartupAndRecordTheRunWhenWiredAsTheRuntimeDoes(final TestEnv env) {
    // Given
    final PipelineConfig config = env.config().with(Map.of(
        PipelineConfig.partitionKey("crn_metrics", "lookahead"), 2,
        PipelineConfig.PARTITIONS_MAINTENANCE_INTERVAL_MS, 60_000L));
    final PartitionMaintainer maintainer = PartitionMaintainer.fromConfig(config, Clock.systemUTC());
    final PartitionStatusService status = PartitionStatusService.of(maintainer, ConnectionSource.fromConfig(config));
    final String ahead =
        PartitionInterval.MONTH.childName("crn_metrics", PartitionInterval.MONTH.plus(Instant.now(), 2));

    // When
    try (PartitionMaintenanceScheduler scheduler = new PartitionMaintenanceScheduler(maintainer, config)) {
      scheduler.start();

      // Then
      await().atMost(Duration.ofSeconds(30)).until(() -> maintainer.lastAttempt().isPresent());
      final MaintenanceRun run = maintainer.lastAttempt().orElseThrow();
      assertThat(run.trigger()).isEqualTo(PartitionMaintenanceScheduler.TRIGGER_STARTUP);
      assertThat(run.outcome()).isEqualTo(MaintenanceRun.Outcome.SUCCEEDED);
      assertThat(run.created()).containsExactly(ahead);
      assertThat(status.statusNode().at("/maintenance/last_run/trigger").asText()).isEqualTo("startup");
      assertThat(status.statusNode().get("latest_crn_metrics_partition_table_name").asText()).isEqualTo(ahead);
    }
  }
}
