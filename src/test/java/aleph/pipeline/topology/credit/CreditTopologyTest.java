package aleph.pipeline.topology.credit;

import static aleph.pipeline.credit.Payloads.distribution;
import static aleph.pipeline.credit.Payloads.expense;
import static aleph.pipeline.credit.Payloads.grant;
import static aleph.pipeline.credit.Payloads.spend;
import static aleph.pipeline.credit.Payloads.to;
import static aleph.pipeline.credit.Payloads.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import aleph.pipeline.avro.credit.BalanceCause;
import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditBucket;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.credit.CreditRejection;
import aleph.pipeline.avro.credit.RejectionReason;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.credit.LedgerState;
import aleph.pipeline.serde.MockSchemaRegistry;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.CreditTopology;
import aleph.pipeline.topology.StreamsSettings;
import aleph.pipeline.topology.Topics;

class CreditTopologyTest {

  private static final String ISSUER = CreditTestMessages.ISSUER;
  private static final String ALICE = "0xAlice";
  private static final String BOB = "0xBob";
  // 2026-03-01: after the precision cutoff, so amounts are taken as they are.
  private static final double T0 = Instant.parse("2026-03-01T00:00:00Z").getEpochSecond();

  @TempDir
  Path stateDir;

  private String scope;
  private TopologyTestDriver driver;
  private TestInputTopic<String, AlephMessage> input;
  private TestOutputTopic<String, CreditHistoryEntry> history;
  private TestOutputTopic<String, CreditBalance> balances;
  private TestOutputTopic<String, CreditRejection> rejections;
  private Topics topics;

  @BeforeEach
  void setUp() throws Exception {
    scope = "credit-topology-" + UUID.randomUUID();
    final Map<String, Object> settings = new HashMap<>();
    settings.put(PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092");
    settings.put(PipelineConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
    settings.put(PipelineConfig.DATA_DIR, Files.createDirectories(stateDir.resolve("data")).toString());
    settings.put(PipelineConfig.CREDIT_EXPIRY_INTERVAL_MS, 1_000L);
    final PipelineConfig config = new PipelineConfig(settings);
    topics = Topics.from(config);
    final SerdeFactory serdes = new SerdeFactory(config.serdeProperties());
    final StreamsBuilder builder = new StreamsBuilder();
    CreditTopology.build(builder, CreditTestMessages.candidates(builder, topics, serdes), config, topics, serdes);
    final Properties props = new Properties();
    props.putAll(StreamsSettings.properties(config, topics));
    driver = new TopologyTestDriver(builder.build(), props, Instant.parse("2026-03-01T00:00:00Z"));
    input = driver.createInputTopic(topics.messages(), serdes.key().serializer(),
        serdes.value(AlephMessage.class).serializer());
    history = driver.createOutputTopic(topics.creditHistory(), serdes.key().deserializer(),
        serdes.value(CreditHistoryEntry.class).deserializer());
    balances = driver.createOutputTopic(topics.creditBalances(), serdes.key().deserializer(),
        serdes.value(CreditBalance.class).deserializer());
    rejections = driver.createOutputTopic(topics.creditRejections(), serdes.key().deserializer(),
        serdes.value(CreditRejection.class).deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
    MockSchemaRegistry.dropScope(scope);
  }

  private AlephMessage send(final String owner, final String postType, final double time, final ObjectNode payload) {
    final AlephMessage message = CreditTestMessages.post(owner, postType, time, payload.toString());
    input.pipeInput(message.getItemHash(), message);
    return message;
  }

  private AlephMessage distribute(final double time, final ObjectNode... entries) {
    return send(ISSUER, "aleph_credit_distribution", time, distribution(entries));
  }

  @Test
  void shouldPublishHistoryAndBalanceWhenWhitelistedDistributionArrives() {
    // Given
    final long expiration = Instant.parse("2026-09-01T00:00:00Z").toEpochMilli();

    // When
    final AlephMessage message = distribute(T0, grant(ALICE, 1000, null), grant(BOB, 300, expiration),
        grant(ALICE, 500, expiration));

    // Then
    final List<TestRecord<String, CreditHistoryEntry>> rows = history.readRecordsToList();
    assertThat(rows).extracting(TestRecord::key).containsExactlyInAnyOrder(ALICE, ALICE, BOB);
    assertThat(rows).extracting(r -> r.value().getCreditIndex()).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(rows).allSatisfy(r -> assertThat(r.value().getCreditRef()).isEqualTo(message.getItemHash()));
    final Map<String, CreditBalance> last = lastBalances();
    assertThat(last.get(ALICE).getTotal()).isEqualTo(1500);
    assertThat(last.get(ALICE).getBuckets()).containsExactly(new CreditBucket(null, 1000L),
        new CreditBucket(Instant.ofEpochMilli(expiration), 500L));
    assertThat(last.get(ALICE).getCause()).isEqualTo(BalanceCause.GRANT);
    assertThat(last.get(BOB).getTotal()).isEqualTo(300);
    assertThat(rejections.isEmpty()).isTrue();
  }

  @Test
  void shouldRejectAndCountWhenDistributionSenderIsNotWhitelisted() {
    // When
    final AlephMessage message = send(ALICE, "aleph_credit_distribution", T0,
        distribution(grant(BOB, 1000, null)));

    // Then
    final TestRecord<String, CreditRejection> rejection = rejections.readRecord();
    assertThat(rejection.key()).isEqualTo(message.getItemHash());
    assertThat(rejection.value().getReason()).isEqualTo(RejectionReason.NOT_WHITELISTED);
    assertThat(rejection.value().getAddress()).isEqualTo(ALICE);
    assertThat(rejection.value().getSourceTopic()).isEqualTo(topics.messages());
    assertThat(rejection.value().getSourcePartition()).isZero();
    assertThat(rejection.value().getSourceOffset()).isZero();
    assertThat(history.isEmpty()).isTrue();
    assertThat(balances.isEmpty()).isTrue();
    assertThat(counter(CreditNames.SPLIT, "rejected-not-whitelisted-total")).isEqualTo(1.0);
  }

  @Test
  void shouldRejectWithPydanticStyleMessageWhenContentIsInvalid() {
    // When
    send(ISSUER, "aleph_credit_distribution", T0, distribution(grant(BOB, 0, null)));

    // Then
    final CreditRejection rejection = rejections.readValue();
    assertThat(rejection.getReason()).isEqualTo(RejectionReason.INVALID_CONTENT);
    assertThat(rejection.getMessage()).startsWith("Invalid credit distribution content:")
        .contains("distribution.credits.0.amount").contains("greater than 0");
    assertThat(balances.isEmpty()).isTrue();
  }

  @Test
  void shouldSettleTransferAtSenderAndGrantRecipientThroughRepartitionWhenSenderIsFunded() {
    // Given
    final long expiration = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
    distribute(T0, grant(ALICE, 1000, expiration));
    balances.readRecordsToList();
    history.readRecordsToList();

    // When
    final AlephMessage message = send(ALICE, "aleph_credit_transfer", T0 + 60, transfer(to(BOB, 400, null)));

    // Then
    final List<TestRecord<String, CreditHistoryEntry>> rows = history.readRecordsToList();
    assertThat(rows).extracting(TestRecord::key, r -> r.value().getAmount(), r -> r.value().getCreditIndex())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(BOB, 400L, 0),
            org.assertj.core.groups.Tuple.tuple(ALICE, -400L, 1));
    final CreditHistoryEntry received = rows.stream().filter(r -> r.key().equals(BOB)).findFirst().orElseThrow()
        .value();
    assertThat(received.getExpirationDate()).isEqualTo(Instant.ofEpochMilli(expiration));
    assertThat(received.getOrigin()).isEqualTo(ALICE);
    assertThat(received.getPaymentMethod()).isEqualTo("credit_transfer");
    final Map<String, CreditBalance> last = lastBalances();
    assertThat(last.get(ALICE).getTotal()).isEqualTo(600);
    assertThat(last.get(ALICE).getCause()).isEqualTo(BalanceCause.TRANSFER_OUT);
    assertThat(last.get(BOB).getTotal()).isEqualTo(400);
    assertThat(last.get(BOB).getCause()).isEqualTo(BalanceCause.TRANSFER_IN);
    assertThat(last.get(BOB).getCauseRef()).isEqualTo(message.getItemHash());
    final KeyValueStore<String, LedgerState> store = driver.getKeyValueStore(CreditNames.STORE);
    assertThat(store.get(BOB).slices()).singleElement()
        .satisfies(slice -> assertThat(slice.creditRef()).isEqualTo(message.getItemHash()));
  }

  @Test
  void shouldRejectWithInsufficientBalanceAndApplyNothingWhenSenderIsUnfunded() {
    // Given
    distribute(T0, grant(ALICE, 100, null));
    balances.readRecordsToList();
    history.readRecordsToList();

    // When
    final AlephMessage message = send(ALICE, "aleph_credit_transfer", T0 + 60,
        transfer(to(BOB, 60, null), to("0xCarol", 60, null)));

    // Then
    final TestRecord<String, CreditRejection> rejection = rejections.readRecord();
    assertThat(rejection.key()).isEqualTo(message.getItemHash());
    assertThat(rejection.value().getReason()).isEqualTo(RejectionReason.INSUFFICIENT_BALANCE);
    assertThat(rejection.value().getMessage())
        .isEqualTo("Insufficient credit balance for transfer. Required: 120, Available: 100");
    assertThat(rejection.value().getSourceTopic()).isEqualTo(topics.messages());
    assertThat(rejection.value().getSourceOffset()).isEqualTo(1L);
    assertThat(history.isEmpty()).isTrue();
    assertThat(balances.isEmpty()).isTrue();
    assertThat(counter(CreditNames.LEDGER, "rejected-insufficient-balance-total")).isEqualTo(1.0);
  }

  @Test
  void shouldRejectSelfTransferAndDuplicateRecipientsWithTheirReasons() {
    // When
    send(ALICE, "aleph_credit_transfer", T0, transfer(to(ALICE, 10, null)));
    send(ALICE, "aleph_credit_transfer", T0, transfer(to(BOB, 10, null), to(BOB, 5, null)));

    // Then
    assertThat(rejections.readValuesToList()).extracting(CreditRejection::getReason)
        .containsExactly(RejectionReason.SELF_TRANSFER, RejectionReason.DUPLICATE_RECIPIENT);
  }

  @Test
  void shouldPublishNothingWhenTheSameMessageIsProcessedTwice() {
    // Given
    final AlephMessage grantMessage = distribute(T0, grant(ALICE, 1000, null));
    final AlephMessage spendMessage = send(ISSUER, "aleph_credit_expense", T0 + 10, expense(spend(ALICE, 300)));
    history.readRecordsToList();
    balances.readRecordsToList();

    // When
    input.pipeInput(grantMessage.getItemHash(), grantMessage);
    input.pipeInput(spendMessage.getItemHash(), spendMessage);

    // Then
    assertThat(history.isEmpty()).isTrue();
    assertThat(balances.isEmpty()).isTrue();
    final KeyValueStore<String, LedgerState> store = driver.getKeyValueStore(CreditNames.STORE);
    assertThat(store.get(ALICE).slices()).singleElement()
        .satisfies(slice -> assertThat(slice.remaining()).isEqualTo(700));
    assertThat(counter(CreditNames.LEDGER, "replay-ignored-total")).isEqualTo(2.0);
  }

  @Test
  void shouldPublishLowerBalanceButKeepLedgerStateWhenWallClockPassesExpiration() {
    // Given
    final Instant expiration = Instant.parse("2026-03-01T00:00:30Z");
    distribute(T0, grant(ALICE, 1000, null), grant(ALICE, 250, expiration.toEpochMilli()));
    assertThat(lastBalances().get(ALICE).getTotal()).isEqualTo(1250);

    // When
    driver.advanceWallClockTime(Duration.ofSeconds(31));

    // Then
    final List<TestRecord<String, CreditBalance>> expired = balances.readRecordsToList();
    assertThat(expired).singleElement().satisfies(record -> {
      assertThat(record.key()).isEqualTo(ALICE);
      assertThat(record.value().getCause()).isEqualTo(BalanceCause.EXPIRY);
      assertThat(record.value().getTotal()).isEqualTo(1000);
      assertThat(record.value().getCauseRef()).isNull();
      assertThat(record.value().getBuckets()).containsExactly(new CreditBucket(null, 1000L));
    });
    // The ledger keeps the slice: its decisions follow message time only, so a replay reproduces them.
    final KeyValueStore<String, LedgerState> store = driver.getKeyValueStore(CreditNames.STORE);
    assertThat(store.get(ALICE).slices()).extracting(s -> s.expiration())
        .containsExactlyInAnyOrder(null, expiration.toEpochMilli() * 1000);
    final KeyValueStore<String, String> index = driver.getKeyValueStore(CreditNames.EXPIRATIONS);
    try (var entries = index.all()) {
      assertThat(entries.hasNext()).as("expiration index emptied").isFalse();
    }

    // When the clock moves on again
    driver.advanceWallClockTime(Duration.ofSeconds(5));

    // Then nothing more expires
    assertThat(balances.isEmpty()).isTrue();
  }

  @Test
  void shouldLetADebitDatedBeforeAnExpirationSpendThoseCreditsAfterTheWallClockPassedIt() {
    // Given: 250 expiring at T0+30 s, announced as expired by the punctuator
    final Instant expiration = Instant.parse("2026-03-01T00:00:30Z");
    distribute(T0, grant(ALICE, 250, expiration.toEpochMilli()));
    driver.advanceWallClockTime(Duration.ofSeconds(31));
    balances.readRecordsToList();

    // When an expense signed at T0+10 s (before the expiration) arrives late
    send(ISSUER, "aleph_credit_expense", T0 + 10, expense(spend(ALICE, 100)));

    // Then it was eligible at its message time, as the reference's drain allows
    assertThat(lastBalances().get(ALICE).getTotal()).isEqualTo(150);
  }

  @Test
  void shouldRecordFullIntentButDrainOnlyWhatExistsWhenExpenseIsUnderFunded() {
    // Given
    distribute(T0, grant(ALICE, 100, null));
    history.readRecordsToList();
    balances.readRecordsToList();

    // When
    send(ISSUER, "aleph_credit_expense", T0 + 5, expense(spend(ALICE, 400)));

    // Then
    assertThat(history.readValuesToList()).singleElement()
        .satisfies(row -> assertThat(row.getAmount()).isEqualTo(-400));
    final CreditBalance balance = balances.readValue();
    assertThat(balance.getTotal()).isZero();
    assertThat(balance.getBuckets()).isEmpty();
    assertThat(balance.getCause()).isEqualTo(BalanceCause.EXPENSE);
  }

  @Test
  void shouldNameEveryInternalResourceAndShareTheStoreBetweenBothLedgerInputs() {
    // Given
    final Map<String, Object> settings = new HashMap<>();
    settings.put(PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092");
    settings.put(PipelineConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
    final PipelineConfig config = new PipelineConfig(settings);
    final SerdeFactory serdes = new SerdeFactory(config.serdeProperties());
    final StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(
        StreamsSettings.properties(config, topics))));

    // When
    CreditTopology.build(builder, CreditTestMessages.candidates(builder, topics, serdes), config, topics, serdes);
    final TopologyDescription description = builder.build().describe();

    // Then
    final String text = description.toString();
    assertThat(text).contains(CreditNames.BY_ADDRESS + "-repartition", CreditNames.GRANTS_BY_RECIPIENT
        + "-repartition");
    assertThat(description.subtopologies()).filteredOn(sub -> sub.nodes().stream()
        .anyMatch(node -> node.name().equals(CreditNames.LEDGER)))
        .singleElement()
        .satisfies(sub -> assertThat(sub.nodes()).extracting(TopologyDescription.Node::name)
            .contains(CreditNames.LEDGER, CreditNames.LEDGER_TRANSFER_IN));
    assertThat(description.subtopologies()).flatExtracting(TopologyDescription.Subtopology::nodes)
        .filteredOn(node -> node instanceof TopologyDescription.Processor)
        .filteredOn(node -> !((TopologyDescription.Processor) node).stores().isEmpty())
        .allSatisfy(node -> assertThat(((TopologyDescription.Processor) node).stores())
            .containsExactlyInAnyOrder(CreditNames.STORE, CreditNames.EXPIRATIONS));
  }

  @Test
  void shouldOrderIndexKeysNumericallyWhenExpirationsAreNegativeOrLarge() {
    // Given
    final long[] expirations = {Long.MIN_VALUE, -1_000_000L, -1L, 0L, 5L, 1_000_000L, Long.MAX_VALUE};

    // When
    final List<String> keys = Arrays.stream(expirations)
        .mapToObj(e -> CreditLedgerProcessor.indexKey(e, "0xA")).toList();

    // Then
    assertThat(keys).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void shouldExpireOnlyDueBucketsAndKeepLaterOnesIndexedWhenSeveralAddressesExpireAtDifferentTimes() {
    // Given
    final Instant soon = Instant.parse("2026-03-01T00:00:10Z");
    final Instant later = Instant.parse("2026-03-01T01:00:00Z");
    distribute(T0, grant(ALICE, 100, soon.toEpochMilli()), grant(BOB, 200, later.toEpochMilli()),
        grant(BOB, 300, soon.toEpochMilli()));
    balances.readRecordsToList();

    // When
    driver.advanceWallClockTime(Duration.ofSeconds(20));

    // Then
    final Map<String, CreditBalance> expired = lastBalances();
    assertThat(expired.get(ALICE).getTotal()).isZero();
    assertThat(expired.get(BOB).getTotal()).isEqualTo(200);
    assertThat(expired.get(BOB).getBuckets()).containsExactly(new CreditBucket(later, 200L));
    final KeyValueStore<String, String> index = driver.getKeyValueStore(CreditNames.EXPIRATIONS);
    try (var entries = index.all()) {
      assertThat(entries).toIterable().extracting(kv -> kv.value).containsExactly(BOB);
    }
  }

  private Map<String, CreditBalance> lastBalances() {
    final Map<String, CreditBalance> last = new HashMap<>();
    balances.readRecordsToList().forEach(r -> last.put(r.key(), r.value()));
    return last;
  }

  private double counter(final String entity, final String name) {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(name) && entity.equals(tag(e.getKey())))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  private static String tag(final MetricName name) {
    return name.tags().values().stream().filter(v -> v.startsWith("credit")).findFirst().orElse("");
  }
}
