package aleph.pipeline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import aleph.pipeline.config.PipelineConfig;

class TopicCatalogTest {

  @Test
  void shouldListEveryTopicTheCodeNames() {
    // Given
    final TopicCatalog catalog = TopicCatalog.load();

    // Then
    assertThat(catalog.entries()).extracting(TopicCatalog.Entry::name)
        .containsExactlyInAnyOrderElementsOf(Topics.from(PipelineConfig.defaults()).all());
  }

  @Test
  void shouldCompactTheBalanceChangelogAndKeepItForever() {
    // When
    final var balances = TopicCatalog.load().find(Topics.CREDIT_BALANCES).orElseThrow();

    // Then
    assertThat(balances.cleanupPolicy()).isEqualTo("compact");
    assertThat(balances.toNewTopic("p.", (short) 1, 0).configs())
        .containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "-1");
    assertThat(balances.toNewTopic("p.", (short) 1, 0).name()).isEqualTo("p." + Topics.CREDIT_BALANCES);
  }
}
