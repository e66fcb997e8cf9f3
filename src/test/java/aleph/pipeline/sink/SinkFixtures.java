package aleph.pipeline.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import aleph.pipeline.avro.credit.BalanceCause;
import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditBucket;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.Topics;

/** Builders for the sink's input records and a producer that writes them in the Confluent wire format. */
final class SinkFixtures implements AutoCloseable {

  static final String SCORING_SENDER = "0x4D52380D3191274a04846c89c069E6C3F2Ed94e4";
  /** Inside the current month's child partition, whatever the day: V001 creates it. */
  static final Instant MONTH_START =
      LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  static final Instant BASE_TIME = MONTH_START.plus(1, ChronoUnit.HOURS);

  private final SerdeFactory serdes;
  private final KafkaProducer<String, byte[]> producer;
  private final List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();

  SinkFixtures(final PipelineConfig config) {
    this.serdes = new SerdeFactory(config.serdeProperties());
    registerInFixedOrder(serdes);
    // Not idempotent: right after topic creation the broker answers NOT_LEADER for a moment, and an idempotent
    // producer retrying into a fresh partition can hit OutOfOrderSequence and drop a batch. One request in
    // flight keeps the order; every send is checked in flush().
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(PipelineConfig.BOOTSTRAP_SERVERS),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
        ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    for (String topic : Topics.from(config).sinkInputs()) {
      org.awaitility.Awaitility.await().alias("leaders of " + topic).atMost(java.time.Duration.ofSeconds(30))
          .until(() -> producer.partitionsFor(topic).stream().allMatch(p -> p.leader() != null));
    }
  }

  /**
   * Registers the sink's value schemas in one fixed order, so a mock registry in another JVM that does the
   * same hands out the same schema ids.
   */
  static void registerInFixedOrder(final SerdeFactory serdes) {
    serdes.value(CrnMetric.class).serializer().serialize("fixed-order-1", crn("h", "n", BASE_TIME));
    serdes.value(CcnMetric.class).serializer().serialize("fixed-order-2", ccn("h", "n", BASE_TIME));
    serdes.value(AcceptedMessage.class).serializer().serialize("fixed-order-3", accepted("h", SCORING_SENDER));
    serdes.value(ForgottenMessage.class).serializer().serialize("fixed-order-4", forget("h", "f", "s"));
    serdes.value(CreditHistoryEntry.class).serializer().serialize("fixed-order-5", history("a", "r", 0, 1));
    serdes.value(CreditBalance.class).serializer().serialize("fixed-order-6", balance("a", List.of()));
  }

  @SuppressWarnings("unchecked")
  <T extends SpecificRecord> void send(final String topic, final String key, final T value) {
    final byte[] bytes = value == null ? null
        : serdes.value((Class<T>) value.getClass()).serializer().serialize(topic, value);
    sent.add(producer.send(new ProducerRecord<>(topic, key, bytes)));
  }

  void sendRaw(final String topic, final String key, final byte[] bytes) {
    sent.add(producer.send(new ProducerRecord<>(topic, key, bytes)));
  }

  /** Waits until every record sent so far is in Kafka; fails when one is not. */
  void flush() {
    producer.flush();
    try {
      for (java.util.concurrent.Future<?> future : sent) {
        future.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("a test record was not written to Kafka: " + e.getMessage(), e);
    }
    sent.clear();
  }

  @Override
  public void close() {
    producer.close();
  }

  static CrnMetric crn(final String itemHash, final String nodeId, final Instant measuredAt) {
    return CrnMetric.newBuilder().setItemHash(itemHash).setNodeId(nodeId).setMeasuredAt(measuredAt)
        .setBaseLatency(0.25).setBaseLatencyIpv4(null).setFullCheckLatency(1.5).setDiagnosticVmLatency(2.75)
        .setMessageTime(BASE_TIME).setSender(SCORING_SENDER).setChannel("aleph-scoring").setOwner(SCORING_SENDER)
        .build();
  }

  static CcnMetric ccn(final String itemHash, final String nodeId, final Instant measuredAt) {
    return CcnMetric.newBuilder().setItemHash(itemHash).setNodeId(nodeId).setMeasuredAt(measuredAt)
        .setBaseLatency(0.5).setBaseLatencyIpv4(0.75).setMetricsLatency(null).setAggregateLatency(1.0)
        .setFileDownloadLatency(3.0).setPendingMessages(7).setEthHeightRemaining(null)
        .setMessageTime(BASE_TIME).setSender(SCORING_SENDER).setChannel("aleph-scoring").setOwner(SCORING_SENDER)
        .build();
  }

  static AcceptedMessage accepted(final String itemHash, final String sender) {
    return AcceptedMessage.newBuilder().setItemHash(itemHash).setType(MessageType.POST).setChain("ETH")
        .setSender(sender).setChannel("aleph-scoring").setTime(BASE_TIME).setOwner(sender)
        .setContentType("aleph-network-metrics")
        .setContent("{\"address\":\"" + sender + "\",\"type\":\"aleph-network-metrics\",\"hash\":\"" + itemHash
            + "\"}")
        .setSize(123L).setKind(MessageKind.SCORING).build();
  }

  static ForgottenMessage forget(final String target, final String forgetHash, final String forgetSender) {
    return ForgottenMessage.newBuilder().setTargetHash(target).setForgetHash(forgetHash)
        .setForgetSender(forgetSender).setForgetOwner(forgetSender).setForgottenAt(BASE_TIME.plusSeconds(60))
        .setReason("test").build();
  }

  static CreditHistoryEntry history(final String address, final String creditRef, final int index,
      final long amount) {
    return CreditHistoryEntry.newBuilder().setAddress(address).setAmount(amount).setPrice("0.5")
        .setBonusAmount(null).setTxHash("0xtx").setToken("ALEPH").setChain("ETH").setProvider("ALEPH")
        .setOrigin(null).setOriginRef(null).setPaymentMethod("credit_transfer").setExpenseCount(null)
        .setExpenseSizeMib("1.25").setCreditRef(creditRef).setCreditIndex(index)
        .setExpirationDate(index % 2 == 0 ? null : BASE_TIME.plus(30, ChronoUnit.DAYS))
        .setMessageTimestamp(BASE_TIME.plusSeconds(index)).build();
  }

  static CreditBalance balance(final String address, final List<CreditBucket> buckets) {
    return CreditBalance.newBuilder().setAddress(address)
        .setTotal(buckets.stream().mapToLong(CreditBucket::getAmount).sum()).setBuckets(buckets)
        .setAsOf(BASE_TIME).setCause(BalanceCause.GRANT).setCauseRef("ref").build();
  }
}
