package aleph.pipeline.sink;

import static aleph.pipeline.sink.SinkFixtures.BASE_TIME;
import static aleph.pipeline.sink.SinkFixtures.SCORING_SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.MockSchemaRegistry;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.Topics;

class SinkBatchTest {

  private static final String SCOPE = "SinkBatchTest";
  private final PipelineConfig config = PipelineConfig.defaults()
      .with(Map.of(PipelineConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE));
  private final Topics topics = Topics.from(config);
  private final SerdeFactory serdes = new SerdeFactory(config.serdeProperties());
  private final Map<String, Deserializer<? extends SpecificRecord>> decoders = Map.of(
      topics.crnMetrics(), serdes.value(CrnMetric.class).deserializer(),
      topics.accepted(), serdes.value(AcceptedMessage.class).deserializer(),
      topics.creditBalances(), serdes.value(CreditBalance.class).deserializer());
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  @Test
  void shouldAdvancePastEveryRecordWhenSomeAreDeadLettered() {
    // Given
    add(topics.crnMetrics(), 0, 10, SinkFixtures.crn("h1", "a", BASE_TIME));
    records.add(new ConsumerRecord<>(topics.crnMetrics(), 0, 11, null, "junk".getBytes(StandardCharsets.UTF_8)));
    add(topics.crnMetrics(), 1, 4, SinkFixtures.crn("h1", "b", BASE_TIME));

    // When
    final SinkBatch batch = SinkBatch.decode(records, topics, decoders);

    // Then
    assertThat(batch.crn).extracting(CrnMetric::getNodeId).containsExactly("a", "b");
    assertThat(batch.deadLetters).extracting(d -> d.record().offset()).containsExactly(11L);
    assertThat(batch.nextOffsets).containsOnly(
        Map.entry(new TopicPartition(topics.crnMetrics(), 0), 12L),
        Map.entry(new TopicPartition(topics.crnMetrics(), 1), 5L));
  }

  @Test
  void shouldKeepOnlyTheLatestBalanceAndTheTombstoneWhenAnAddressChangesTwice() {
    // Given
    add(topics.creditBalances(), 0, 0, SinkFixtures.balance("addr", List.of()));
    records.add(new ConsumerRecord<>(topics.creditBalances(), 0, 1, "addr".getBytes(StandardCharsets.UTF_8), null));

    // When
    final SinkBatch batch = SinkBatch.decode(records, topics, decoders);

    // Then
    assertThat(batch.balances).containsOnlyKeys("addr");
    assertThat(batch.balances.get("addr")).isNull();
  }

  @Test
  void shouldDropRowsOfAForgottenHashOnlyWhenTheForgetSenderOwnsIt() {
    // Given
    add(topics.accepted(), 0, 0, SinkFixtures.accepted("mine", SCORING_SENDER));
    add(topics.crnMetrics(), 0, 0, SinkFixtures.crn("mine", "a", BASE_TIME));
    add(topics.accepted(), 0, 1, SinkFixtures.accepted("theirs", "0xother"));
    final SinkBatch batch = SinkBatch.decode(records, topics, decoders);

    // When
    final var unauthorised = batch.dropForgotten(Map.of(
        "mine", SCORING_SENDER.toLowerCase(java.util.Locale.ROOT),
        "theirs", SCORING_SENDER));

    // Then
    assertThat(batch.accepted).containsOnlyKeys("theirs");
    assertThat(batch.crn).isEmpty();
    assertThat(unauthorised).containsExactly("theirs");
    assertThat(batch.metricParents()).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> void add(final String topic, final int partition, final long offset,
      final T value) {
    final byte[] bytes = serdes.value((Class<T>) value.getClass()).serializer().serialize(topic, value);
    records.add(new ConsumerRecord<>(topic, partition, offset, null, bytes));
  }
}
