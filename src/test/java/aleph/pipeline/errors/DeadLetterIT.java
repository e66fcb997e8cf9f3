package aleph.pipeline.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;
import aleph.pipeline.topology.StreamsSettings;
import aleph.pipeline.topology.Topics;

/**
 * Undecodable input on the real broker: Kafka Streams' dead-letter queue (KIP-1034) with our handler. Bad
 * records land in the dead-letter topic with their raw bytes and lineage headers, good ones flow on in order, and
 * the counter counts the bad ones.
 */
@ExtendWith(PipelineInfra.class)
class DeadLetterIT {

  private static final String HEADER_PREFIX = "__streams.errors.";

  private KafkaStreams streams;
  private TestEnv env;

  @AfterEach
  void stop() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    if (env != null) {
      env.dropRegistry();
    }
  }

  private static AlephMessage message(final String hash) {
    return AlephMessage.newBuilder().setItemHash(hash).setType(MessageType.POST).setChain("ETH")
        .setSender("0xsender").setTime(java.time.Instant.parse("2024-01-01T00:00:00.000001Z")).build();
  }

  @Test
  void shouldDeadLetterEachUndecodableRecordWithLineageWhenGoodOnesAroundItFlowOn(final TestEnv testEnv)
      throws Exception {
    // Given
    env = testEnv;
    env.createTopics(1);
    final Topics topics = env.topics();
    final SerdeFactory serdes = new SerdeFactory(env.config().serdeProperties());
    final Serde<AlephMessage> values = serdes.value(AlephMessage.class);
    final byte[] good1 = values.serializer().serialize(topics.messages(), message("good-1"));
    final byte[] good2 = values.serializer().serialize(topics.messages(), message("good-2"));
    final byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    final byte[] wrongMagic = good1.clone();
    wrongMagic[0] = 1;
    final byte[] unknownId = good1.clone();
    ByteBuffer.wrap(unknownId).putInt(1, 987_654);
    final byte[] truncated = Arrays.copyOf(good1, good1.length - 8);
    final List<byte[]> bad = List.of(garbage, wrongMagic, unknownId, truncated);
    produce(topics.messages(), List.of(good1, garbage, wrongMagic, unknownId, truncated, good2));
    final String applicationId = env.config().getString(PipelineConfig.APPLICATION_ID);
    final long countedBefore = DeadLetterCounter.forApplication(applicationId).total();

    // When
    final StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics.messages(), Consumed.with(serdes.key(), values).withName("source-messages"))
        .to(topics.accepted(), Produced.with(serdes.key(), values).withName("sink-passthrough"));
    final Properties props = new Properties();
    props.putAll(StreamsSettings.properties(env.config(), topics));
    streams = new KafkaStreams(builder.build(), props);
    streams.start();

    // Then
    final List<ConsumerRecord<byte[], byte[]>> passed = readAtLeast(topics.accepted(), 2);
    assertThat(passed).hasSize(2);
    assertThat(passed).extracting(r -> values.deserializer().deserialize(topics.accepted(), r.value()).getItemHash())
        .containsExactly("good-1", "good-2");

    final List<ConsumerRecord<byte[], byte[]>> dead = readAtLeast(topics.deadLetters(), 4);
    assertThat(dead).hasSize(4);
    for (int i = 0; i < dead.size(); i++) {
      final ConsumerRecord<byte[], byte[]> letter = dead.get(i);
      assertThat(letter.value()).as("raw bytes of bad record %d", i).isEqualTo(bad.get(i));
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("k" + (i + 2));
      assertThat(header(letter, "topic")).isEqualTo(topics.messages());
      assertThat(header(letter, "partition")).isEqualTo("0");
      assertThat(header(letter, "offset")).isEqualTo(String.valueOf(i + 1));
      assertThat(header(letter, "exception")).isEqualTo(SerializationException.class.getName());
      assertThat(header(letter, "stacktrace")).contains(SerializationException.class.getName());
      assertThat(letter.headers().lastHeader("origin").value()).isEqualTo(("producer-" + (i + 2)).getBytes(
          StandardCharsets.UTF_8));
    }
    assertThat(header(dead.get(0), "message")).contains("Unknown magic byte 0x64");
    assertThat(header(dead.get(1), "message")).contains("Unknown magic byte 0x01");
    assertThat(header(dead.get(2), "message")).contains("Unknown schema id 987654");
    assertThat(header(dead.get(3), "message")).contains("Truncated Avro body");
    await("counter").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(DeadLetterCounter.forApplication(applicationId).total() - countedBefore).isEqualTo(4));
    assertThat(DeadLetterCounter.forApplication(applicationId).byTopic()).containsEntry(topics.messages(), 4L);
    assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  private static String header(final ConsumerRecord<byte[], byte[]> record, final String name) {
    final Header header = record.headers().lastHeader(HEADER_PREFIX + name);
    assertThat(header).as("header %s", HEADER_PREFIX + name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private void produce(final String topic, final List<byte[]> values) throws Exception {
    final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < values.size(); i++) {
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0,
            ("k" + (i + 1)).getBytes(StandardCharsets.UTF_8), values.get(i));
        record.headers().add("origin", ("producer-" + (i + 1)).getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
      }
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> readAtLeast(final String topic, final int count) {
    final Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, env.name() + "-reader-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await(topic).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= count;
      });
      // Anything beyond the expected count would be a duplicate or a leak: give it a moment to show up.
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }
}
