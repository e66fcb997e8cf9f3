package aleph.pipeline.db.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import aleph.pipeline.config.PipelineConfig;

class PartitionPolicyTest {

  @Test
  void shouldUseReferenceDefaultsWhenNothingIsConfigured() {
    // Given
    final PipelineConfig config = PipelineConfig.defaults();

    // When
    final var policies = PartitionPolicy.fromConfig(config);

    // Then
    assertThat(policies).extracting(PartitionPolicy::table)
        .containsExactly("crn_metrics", "ccn_metrics", "credit_history");
    assertThat(policies.get(0)).isEqualTo(
        new PartitionPolicy("crn_metrics", PartitionInterval.MONTH, 1, OptionalInt.of(12)));
    assertThat(policies.get(2).retention()).isEmpty();
    assertThat(policies.get(2).retentionText()).isEqualTo("none");
  }

  @Test
  void shouldDefaultToAWeekAheadWhenDaily() {
    // Given
    final PipelineConfig config = PipelineConfig.defaults().with(Map.of(
        PipelineConfig.partitionKey("ccn_metrics", "interval"), "day",
        PipelineConfig.partitionKey("ccn_metrics", "retention"), "30"));

    // When
    final PartitionPolicy policy = PartitionPolicy.fromConfig(config, "ccn_metrics");

    // Then
    assertThat(policy.interval()).isEqualTo(PartitionInterval.DAY);
    assertThat(policy.lookahead()).isEqualTo(7);
    final Instant now = Instant.parse("2026-03-01T05:00:00Z");
    assertThat(policy.horizon(now)).isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
    assertThat(policy.cutoff(now)).contains(Instant.parse("2026-01-30T00:00:00Z"));
  }

  @Test
  void shouldRejectUnboundedLookaheadAndBadRetentionWhenConfigured() {
    // Given
    final PipelineConfig tooFar = PipelineConfig.defaults().with(Map.of(
        PipelineConfig.partitionKey("crn_metrics", "lookahead"), 25));
    final PipelineConfig badRetention = PipelineConfig.defaults().with(Map.of(
        PipelineConfig.partitionKey("crn_metrics", "retention"), "forever"));

    // When / Then
    assertThatThrownBy(() -> PartitionPolicy.fromConfig(tooFar, "crn_metrics"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions.crn_metrics.lookahead");
    assertThatThrownBy(() -> PartitionPolicy.fromConfig(badRetention, "crn_metrics"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none");
  }
}
