package aleph.pipeline.db.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import aleph.pipeline.db.partitions.MaintenanceRun.Outcome;

class PartitionStatusServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-21T19:00:00Z");

  @Test
  void shouldReportUnreachableDatabaseAndLocalAttemptWhenConnectionFails() throws Exception {
    // Given
    final MaintenanceRun failed = new MaintenanceRun("schedule", "host/1", NOW, NOW, Outcome.FAILED, List.of(),
        List.of(), 0, List.of("run failed: connection refused"), List.of());
    final PartitionStatusService service = new PartitionStatusService(() -> {
      throw new SQLException("connection refused");
    }, List.of(), Clock.fixed(NOW, ZoneOffset.UTC), () -> Optional.of(failed));

    // When
    final JsonNode json = new ObjectMapper().readTree(service.statusJson());

    // Then
    assertThat(json.get("database_reachable").asBoolean()).isFalse();
    assertThat(json.get("error").asText()).contains("connection refused");
    assertThat(json.at("/maintenance/this_instance_last_attempt/outcome").asText()).isEqualTo("failed");
  }

  @Test
  void shouldMeasureCoverageFromNowAndFindGapsWhenChildrenAreSorted() {
    // Given
    final List<PartitionRange> ranges = List.of(
        new PartitionRange(Instant.parse("2026-09-01T00:00:00Z"), Instant.parse("2026-10-01T00:00:00Z")),
        new PartitionRange(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")),
        new PartitionRange(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z")),
        new PartitionRange(Instant.parse("2027-02-01T00:00:00Z"), Instant.parse("2027-03-01T00:00:00Z")));

    // When
    final Optional<Instant> covered = PartitionStatusService.coveredUntil(ranges, NOW);
    final Optional<Instant> uncovered = PartitionStatusService.coveredUntil(ranges,
        Instant.parse("2026-10-15T00:00:00Z"));
    final List<PartitionRange> gaps = PartitionStatusService.gaps(ranges);

    // Then
    assertThat(covered).contains(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(uncovered).isEmpty();
    assertThat(gaps).containsExactly(
        new PartitionRange(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")),
        new PartitionRange(Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2027-02-01T00:00:00Z")));
  }
}
