package aleph.pipeline.topology.credit;

import static aleph.pipeline.credit.Payloads.distribution;
import static aleph.pipeline.credit.Payloads.expense;
import static aleph.pipeline.credit.Payloads.grant;
import static aleph.pipeline.credit.Payloads.spend;
import static aleph.pipeline.credit.Payloads.to;
import static aleph.pipeline.credit.Payloads.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.node.ObjectNode;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditBucket;
import aleph.pipeline.avro.credit.CreditRejection;
import aleph.pipeline.avro.credit.RejectionReason;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.credit.Balance;
import aleph.pipeline.credit.CreditLedger;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;
import aleph.pipeline.topology.CreditTopology;
import aleph.pipeline.topology.StreamsSettings;
import aleph.pipeline.topology.Topics;

@ExtendWith(PipelineInfra.class)
class CreditLedgerIT {

  private static final int PARTITIONS = 4;
  private static final String ISSUER = CreditTestMessages.ISSUER;
  private static final double T0 = Instant.parse("2026-03-01T00:00:00Z").getEpochSecond();
  private static final long FAR = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
  private static final long FARTHER = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();

  @Test
  void shouldSettleTransfersAcrossPartitionsAndPublishTheModelsBalancesWhenRunWithEosAndTwoThreads(
      final TestEnv env) {
    // Given
    final PipelineConfig config = env.config().with(Map.of(
        "streams.num.stream.threads", "2",
        "streams.application.server", "localhost:7070"));
    env.createTopics(PARTITIONS);
    final Topics topics = Topics.from(config);
    final SerdeFactory serdes = new SerdeFactory(config.serdeProperties());
    final StreamsBuilder builder = new StreamsBuilder();
    CreditTopology.build(builder, CreditTestMessages.candidates(builder, topics, serdes), config, topics, serdes);
    final Map<String, Object> streamsProps = StreamsSettings.properties(config, topics);
    assertThat(streamsProps).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    final Properties props = new Properties();
    props.putAll(streamsProps);
    final List<String> addresses = addressesOnDistinctPartitions(4);
    final String a = addresses.get(0);
    final String b = addresses.get(1);
    final String c = addresses.get(2);
    final String d = addresses.get(3);
    final CreditLedger model = new CreditLedger(CreditTopology.rules(config));
    final Map<String, CreditBalance> published = new ConcurrentHashMap<>();
    final List<CreditRejection> rejections = new ArrayList<>();

    try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
        KafkaProducer<String, AlephMessage> producer = producer(env, serdes);
        KafkaConsumer<String, CreditBalance> balances = consumer(env, serdes, CreditBalance.class, "balances");
        KafkaConsumer<String, CreditRejection> refused = consumer(env, serdes, CreditRejection.class, "rejections")) {
      streams.start();
      balances.subscribe(List.of(topics.creditBalances()));
      refused.subscribe(List.of(topics.creditRejections()));

      // When: grants, then transfers across partitions, then a chain through the recipients, then expenses
      final List<AlephMessage> grants = List.of(
          post(ISSUER, "aleph_credit_distribution", T0, distribution(grant(a, 1000, null), grant(b, 500, FAR))),
          post(ISSUER, "aleph_credit_distribution", T0 + 1, distribution(grant(c, 300, FARTHER))),
          post(ISSUER, "aleph_credit_transfer", T0 + 2, transfer(to(d, 50, FAR))));
      final List<AlephMessage> transfers = List.of(
          post(a, "aleph_credit_transfer", T0 + 10, transfer(to(b, 400, FARTHER), to(c, 100, null))),
          post(b, "aleph_credit_transfer", T0 + 11, transfer(to(d, 200, null))),
          post(c, "aleph_credit_transfer", T0 + 12, transfer(to(a, 5000, null))));
      final List<AlephMessage> chain = List.of(
          post(d, "aleph_credit_transfer", T0 + 20, transfer(to(a, 240, null), to(c, 10, null))));
      final List<AlephMessage> spends = List.of(
          post(ISSUER, "aleph_credit_expense", T0 + 30, expense(spend(a, 100), spend(b, 50), spend(c, 5000))));
      for (List<AlephMessage> phase : List.of(grants, transfers, chain, spends)) {
        phase.forEach(message -> {
          producer.send(new ProducerRecord<>(topics.messages(), message.getItemHash(), message));
          final ParsedMessage parsed = CreditTestMessages.parse(message);
          model.submit(message.getItemHash(), parsed.postType(), parsed.owner(),
              CreditAvro.micros(parsed.contentTime()), parsed.content().get("content"));
        });
        producer.flush();
        // Each phase settles before the next: a grant reaches its recipient one hop after the sender's debit.
        await().alias("balances settle").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
          balances.poll(Duration.ofMillis(200)).forEach(r -> published.put(r.key(), r.value()));
          for (String address : addresses) {
            assertThat(published.get(address)).as(address).isNotNull();
            assertThat(published.get(address).getTotal()).as(address)
                .isEqualTo(model.balance(address, micros(published.get(address).getAsOf())).total());
          }
        });
      }

      // Then the balance topic's last value per address is the model's balance
      for (String address : addresses) {
        final CreditBalance last = published.get(address);
        final Balance expected = model.balance(address, micros(last.getAsOf()));
        assertThat(last.getTotal()).as(address).isEqualTo(expected.total());
        assertThat(last.getBuckets().stream().map(CreditLedgerIT::bucket).toList()).as(address)
            .isEqualTo(expected.buckets());
      }
      assertThat(model.balance(a, micros(Instant.now())).total()).isEqualTo(1000 - 500 + 240 - 100);
      assertThat(model.balance(d, micros(Instant.now())).total()).isZero();
      await().alias("unfunded transfer refused").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        refused.poll(Duration.ofMillis(200)).forEach(r -> rejections.add(r.value()));
        assertThat(rejections).extracting(CreditRejection::getReason)
            .containsExactly(RejectionReason.INSUFFICIENT_BALANCE);
      });
      assertThat(rejections.get(0).getItemHash()).isEqualTo(transfers.get(2).getItemHash());

      // And interactive queries answer from the owning (here: this) instance
      final HostInfo self = CreditBalanceQuery.self(streamsProps);
      for (String address : addresses) {
        assertThat(CreditBalanceQuery.balance(streams, self, address, Instant.now()))
            .isEqualTo(new CreditBalanceQuery.Local(model.balance(address, micros(Instant.now()))));
      }
      streams.close(Duration.ofSeconds(30));
    } finally {
      env.dropRegistry();
    }
  }

  private static AlephMessage post(final String owner, final String type, final double time,
      final ObjectNode payload) {
    return CreditTestMessages.post(owner, type, time, payload.toString());
  }

  private static Balance.Bucket bucket(final CreditBucket bucket) {
    return new Balance.Bucket(bucket.getExpiration() == null ? null : micros(bucket.getExpiration()),
        bucket.getAmount());
  }

  private static long micros(final Instant instant) {
    return CreditAvro.micros(instant);
  }

  /** Addresses whose keys land on pairwise different partitions of a {@value PARTITIONS}-partition topic. */
  private static List<String> addressesOnDistinctPartitions(final int count) {
    final Map<Integer, String> byPartition = new HashMap<>();
    for (int i = 0; byPartition.size() < count; i++) {
      final String address = String.format("0xAddress%04d", i);
      byPartition.putIfAbsent(partition(address), address);
    }
    return byPartition.values().stream().sorted().toList();
  }

  private static int partition(final String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static KafkaProducer<String, AlephMessage> producer(final TestEnv env, final SerdeFactory serdes) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()),
        serdes.key().serializer(), serdes.value(AlephMessage.class).serializer());
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, T> consumer(
      final TestEnv env, final SerdeFactory serdes, final Class<T> type, final String name) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, env.name() + "-" + name,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        serdes.key().deserializer(), serdes.value(type).deserializer());
  }
}
