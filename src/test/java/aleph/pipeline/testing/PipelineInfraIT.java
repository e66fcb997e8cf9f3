package aleph.pipeline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import aleph.pipeline.testing.PipelineInfra.TestEnv;

@ExtendWith(PipelineInfra.class)
class PipelineInfraIT {

  @Test
  void shouldGiveEachTestItsOwnTopicsAndMigratedDatabase(final TestEnv first, final TestEnv second) throws Exception {
    // Given
    first.createTopics(1);

    // When
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()))) {
      final Set<String> names = admin.listTopics().names().get();

      // Then
      assertThat(names).containsAll(first.topics().all());
      assertThat(names).doesNotContainAnyElementsOf(second.topics().all());
    }
    assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());
    try (var c = first.connect(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'crn_metrics'::regclass")) {
      rs.next();
      assertThat(rs.getInt(1)).as("current month, next month and DEFAULT").isEqualTo(3);
    }
  }

  @Test
  void shouldCommitTransactionsOnTheSingleNodeBroker(final TestEnv env) {
    // Given
    env.createTopics(1);
    final String topic = env.topics().messages();
    final Map<String, Object> producerProps = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, env.name() + "-tx");

    // When
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }

    // Then
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, env.name(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      ConsumerRecords<String, String> records = ConsumerRecords.empty();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        records = consumer.poll(Duration.ofMillis(200));
      }
      assertThat(records.records(topic)).extracting(r -> r.value()).containsExactly("committed");
    }
  }
}
