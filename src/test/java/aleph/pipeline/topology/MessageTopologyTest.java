package aleph.pipeline.topology;

import static aleph.pipeline.message.TestMessages.OTHER_ADDRESS;
import static aleph.pipeline.message.TestMessages.SCORING_ADDRESS;
import static aleph.pipeline.message.TestMessages.SCORING_CHANNEL;
import static aleph.pipeline.message.TestMessages.inline;
import static aleph.pipeline.message.TestMessages.postContent;
import static aleph.pipeline.message.TestMessages.scoringContent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.message.ItemHashes;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.message.TestMessages;
import aleph.pipeline.metrics.PipelineCounters;
import aleph.pipeline.serde.MockSchemaRegistry;
import aleph.pipeline.serde.SerdeFactory;

/** The gate, dedup, fan-out and FORGET wiring on TopologyTestDriver, with explicit naming enforced. */
class MessageTopologyTest {

  private static final String SCORING_PAYLOAD = "{'metrics': {"
      + "'crn': [{'node_id': 'crn-A', 'measured_at': 1700000000, 'base_latency': 0.1}],"
      + "'ccn': [{'node_id': 'ccn-A', 'measured_at': 1700000000, 'pending_messages': 3}]}}";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final String scope = "MessageTopologyTest-" + UUID.randomUUID();
  private final PipelineCounters counters = new PipelineCounters();
  private final List<KeyValue<String, ParsedMessage>> creditCandidates = new ArrayList<>();

  @TempDir
  Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, AlephMessage> input;
  private TestOutputTopic<String, CrnMetric> crn;
  private TestOutputTopic<String, CcnMetric> ccn;
  private TestOutputTopic<String, AcceptedMessage> accepted;
  private TestOutputTopic<String, ForgottenMessage> forgotten;

  private Properties properties(final PipelineConfig config) {
    final Properties props = new Properties();
    props.putAll(StreamsSettings.properties(config, Topics.from(config)));
    return props;
  }

  private PipelineConfig config(final Map<String, Object> overrides) {
    final Map<String, Object> settings = new HashMap<>(Map.of(
        PipelineConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
        PipelineConfig.BOOTSTRAP_SERVERS, "unused:9092",
        PipelineConfig.APPLICATION_ID, "message-topology-test",
        "streams.state.dir", stateDir.toString()));
    settings.putAll(overrides);
    return PipelineConfig.defaults().with(settings);
  }

  private void start(final Map<String, Object> overrides) {
    final PipelineConfig config = config(overrides);
    final Topics topics = Topics.from(config);
    final SerdeFactory serdes = new SerdeFactory(config.serdeProperties());
    final Properties props = properties(config);
    // Built as the runtime must build it: with the Streams config, so explicit naming is enforced.
    final StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    MessageTopology.build(builder, config, topics, serdes, counters)
        .foreach((hash, message) -> creditCandidates.add(KeyValue.pair(hash, message)),
            Named.as("collect-credit-candidates"));
    driver = new TopologyTestDriver(builder.build(), props);
    input = driver.createInputTopic(topics.messages(), serdes.key().serializer(),
        serdes.value(AlephMessage.class).serializer());
    crn = driver.createOutputTopic(topics.crnMetrics(), serdes.key().deserializer(),
        serdes.value(CrnMetric.class).deserializer());
    ccn = driver.createOutputTopic(topics.ccnMetrics(), serdes.key().deserializer(),
        serdes.value(CcnMetric.class).deserializer());
    accepted = driver.createOutputTopic(topics.accepted(), serdes.key().deserializer(),
        serdes.value(AcceptedMessage.class).deserializer());
    forgotten = driver.createOutputTopic(topics.forgotten(), serdes.key().deserializer(),
        serdes.value(ForgottenMessage.class).deserializer());
  }

  private void start() {
    start(Map.of());
  }

  private void pipe(final AlephMessage message, final Instant at) {
    input.pipeInput(new TestRecord<>(message.getItemHash(), message, at));
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
    MockSchemaRegistry.dropScope(scope);
  }

  @Test
  void shouldEmitCrnAndCcnRecordsWhenPostIsAnAllowlistedScoringPost() {
    // Given test_scoring_post_inserts_metric_rows
    start();
    final AlephMessage post = TestMessages.scoringPost(SCORING_PAYLOAD);

    // When
    pipe(post, T0);

    // Then
    final List<KeyValue<String, CrnMetric>> crnRecords = crn.readKeyValuesToList();
    assertThat(crnRecords).singleElement().satisfies(record -> {
      assertThat(record.key).isEqualTo("crn-A");
      assertThat(record.value.getItemHash()).isEqualTo(post.getItemHash());
      assertThat(record.value.getBaseLatency()).isEqualTo(0.1);
    });
    final List<KeyValue<String, CcnMetric>> ccnRecords = ccn.readKeyValuesToList();
    assertThat(ccnRecords).singleElement().satisfies(record -> {
      assertThat(record.key).isEqualTo("ccn-A");
      assertThat(record.value.getItemHash()).isEqualTo(post.getItemHash());
      assertThat(record.value.getPendingMessages()).isEqualTo(3);
    });
    assertThat(accepted.readKeyValuesToList()).singleElement().satisfies(record -> {
      assertThat(record.key).isEqualTo(post.getItemHash());
      assertThat(record.value.getKind()).isEqualTo(MessageKind.SCORING);
    });
    assertThat(creditCandidates).isEmpty();
    assertThat(counters.count("messages.accepted", "kind", "scoring")).isEqualTo(1);
    assertThat(counters.count("metrics.entries.emitted", "table", "crn")).isEqualTo(1);
    assertThat(counters.count("metrics.entries.emitted", "table", "ccn")).isEqualTo(1);
  }

  @Test
  void shouldEmitNothingWhenPostTypeIsNotTheMetricsType() {
    // Given test_non_scoring_post_type_does_not_insert_metrics
    start();
    final AlephMessage post = inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL,
        postContent(SCORING_ADDRESS, "something-else", SCORING_PAYLOAD));

    // When
    pipe(post, T0);

    // Then
    assertNoOutput();
    assertThat(counters.count("messages.ignored", "reason", "post_type")).isEqualTo(1);
  }

  @Test
  void shouldEmitNothingWhenAddressIsNotAllowlisted() {
    // Given test_non_allowlisted_sender_does_not_insert_metrics
    start();
    final AlephMessage post = inline(MessageType.POST, OTHER_ADDRESS, SCORING_CHANNEL,
        postContent(OTHER_ADDRESS, TestMessages.METRICS_TYPE, SCORING_PAYLOAD));

    // When
    pipe(post, T0);

    // Then
    assertNoOutput();
    assertThat(counters.count("messages.ignored", "reason", "address")).isEqualTo(1);
  }

  @Test
  void shouldEmitNothingWhenChannelIsWrong() {
    // Given test_wrong_channel_does_not_insert_metrics
    start();
    final AlephMessage post = inline(MessageType.POST, SCORING_ADDRESS, "wrong-channel",
        scoringContent(SCORING_PAYLOAD));

    // When
    pipe(post, T0);

    // Then
    assertNoOutput();
    assertThat(counters.count("messages.ignored", "reason", "channel")).isEqualTo(1);
  }

  /** DOMAIN 5, test_metrics_persistence.py: what each case's rows become on the metric topics. */
  static Stream<Arguments> persistenceCases() {
    final Consumer<List<KeyValue<String, CrnMetric>>> noCrn = rows -> assertThat(rows).isEmpty();
    final Consumer<List<KeyValue<String, CcnMetric>>> noCcn = rows -> assertThat(rows).isEmpty();
    return Stream.of(
        Arguments.of("test_build_crn_rows_full_payload",
            "{'metrics': {'crn': [{'node_id': 'a', 'measured_at': 1700000000.0, 'base_latency': 0.1,"
                + " 'base_latency_ipv4': 0.2, 'full_check_latency': 0.3, 'diagnostic_vm_latency': 0.4},"
                + " {'node_id': 'b', 'measured_at': 1700000001.0}]}}",
            (Consumer<List<KeyValue<String, CrnMetric>>>) rows -> {
              assertThat(rows).extracting(r -> r.key).containsExactly("a", "b");
              final CrnMetric first = rows.get(0).value;
              assertThat(first.getMeasuredAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
              assertThat(List.of(first.getBaseLatency(), first.getBaseLatencyIpv4(), first.getFullCheckLatency(),
                  first.getDiagnosticVmLatency())).containsExactly(0.1, 0.2, 0.3, 0.4);
            }, noCcn),
        Arguments.of("test_build_crn_rows_missing_optional_fields",
            "{'metrics': {'crn': [{'node_id': 'a', 'measured_at': 1700000000}]}}",
            (Consumer<List<KeyValue<String, CrnMetric>>>) rows -> assertThat(rows).singleElement()
                .satisfies(r -> assertThat(r.value.getBaseLatency()).isNull())
                .satisfies(r -> assertThat(r.value.getDiagnosticVmLatency()).isNull()), noCcn),
        Arguments.of("test_build_crn_rows_skips_entries_missing_required_fields",
            "{'metrics': {'crn': [{'measured_at': 1700000000}, {'node_id': 'x'},"
                + " {'node_id': 'ok', 'measured_at': 1700000000}]}}",
            (Consumer<List<KeyValue<String, CrnMetric>>>) rows -> assertThat(rows).extracting(r -> r.key)
                .containsExactly("ok"), noCcn),
        Arguments.of("test_build_crn_rows_skips_empty_node_id",
            "{'metrics': {'crn': [{'node_id': '', 'measured_at': 1700000000}]}}", noCrn, noCcn),
        Arguments.of("test_build_crn_rows_non_numeric_field_becomes_none",
            "{'metrics': {'crn': [{'node_id': 'a', 'measured_at': 1700000000, 'base_latency': 'not-a-number'}]}}",
            (Consumer<List<KeyValue<String, CrnMetric>>>) rows -> assertThat(rows).singleElement()
                .satisfies(r -> assertThat(r.value.getBaseLatency()).isNull()), noCcn),
        Arguments.of("test_build_crn_rows_empty_array", "{'metrics': {'crn': []}}", noCrn, noCcn),
        Arguments.of("test_build_ccn_rows_full_payload",
            "{'metrics': {'ccn': [{'node_id': 'c', 'measured_at': 1700000000, 'base_latency': 0.1,"
                + " 'base_latency_ipv4': 0.2, 'metrics_latency': 0.3, 'aggregate_latency': 0.4,"
                + " 'file_download_latency': 0.5, 'pending_messages': 42, 'eth_height_remaining': 7}]}}",
            noCrn, (Consumer<List<KeyValue<String, CcnMetric>>>) rows -> assertThat(rows).singleElement()
                .satisfies(r -> assertThat(List.<Object>of(r.value.getBaseLatency(), r.value.getBaseLatencyIpv4(),
                    r.value.getMetricsLatency(), r.value.getAggregateLatency(), r.value.getFileDownloadLatency(),
                    r.value.getPendingMessages(), r.value.getEthHeightRemaining()))
                    .containsExactly(0.1, 0.2, 0.3, 0.4, 0.5, 42, 7))),
        Arguments.of("test_build_ccn_rows_non_numeric_pending_messages_becomes_none",
            "{'metrics': {'ccn': [{'node_id': 'c', 'measured_at': 1700000000, 'pending_messages': 'lots'}]}}",
            noCrn, (Consumer<List<KeyValue<String, CcnMetric>>>) rows -> assertThat(rows).singleElement()
                .satisfies(r -> assertThat(r.value.getPendingMessages()).isNull())),
        Arguments.of("test_insert_node_metrics_writes_crn_and_ccn",
            "{'metrics': {'crn': [{'node_id': 'a', 'measured_at': 1700000000}],"
                + " 'ccn': [{'node_id': 'c', 'measured_at': 1700000000}]}}",
            (Consumer<List<KeyValue<String, CrnMetric>>>) rows -> assertThat(rows).hasSize(1),
            (Consumer<List<KeyValue<String, CcnMetric>>>) rows -> assertThat(rows).hasSize(1)),
        Arguments.of("test_insert_node_metrics_missing_metrics_key_is_noop", "{}", noCrn, noCcn),
        Arguments.of("test_query_metric_crn_filters_by_node_and_date (rows keyed by node for the read side)",
            "{'metrics': {'crn': [{'node_id': 'node-A', 'measured_at': 100}, {'node_id': 'node-A', 'measured_at': 200},"
                + " {'node_id': 'node-B', 'measured_at': 150}]}}",
            (Consumer<List<KeyValue<String, CrnMetric>>>) rows -> assertThat(rows)
                .extracting(r -> r.key + "@" + r.value.getMeasuredAt().getEpochSecond())
                .containsExactly("node-A@100", "node-A@200", "node-B@150"), noCcn),
        Arguments.of("test_query_metric_ccn_returns_all_columns",
            "{'metrics': {'ccn': [{'node_id': 'c', 'measured_at': 500, 'pending_messages': 5,"
                + " 'eth_height_remaining': 7}]}}",
            noCrn, (Consumer<List<KeyValue<String, CcnMetric>>>) rows -> assertThat(rows).singleElement()
                .satisfies(r -> {
                  assertThat(r.value.getMeasuredAt()).isEqualTo(Instant.ofEpochSecond(500));
                  assertThat(r.value.getPendingMessages()).isEqualTo(5);
                  assertThat(r.value.getEthHeightRemaining()).isEqualTo(7);
                })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("persistenceCases")
  void shouldEmitReferenceRowsWhenScoringPostCarriesPayload(final String reference, final String payload,
      final Consumer<List<KeyValue<String, CrnMetric>>> crnExpectation,
      final Consumer<List<KeyValue<String, CcnMetric>>> ccnExpectation) {
    // Given
    start();
    final AlephMessage post = TestMessages.scoringPost(payload);

    // When
    pipe(post, T0);

    // Then
    final List<KeyValue<String, CrnMetric>> crnRows = crn.readKeyValuesToList();
    final List<KeyValue<String, CcnMetric>> ccnRows = ccn.readKeyValuesToList();
    crnExpectation.accept(crnRows);
    ccnExpectation.accept(ccnRows);
    assertThat(crnRows).allSatisfy(r -> assertThat(r.value.getItemHash()).isEqualTo(post.getItemHash()));
    assertThat(ccnRows).allSatisfy(r -> assertThat(r.value.getItemHash()).isEqualTo(post.getItemHash()));
    assertThat(accepted.readValuesToList()).as("the parent is stored even when no row is").hasSize(1);
  }

  @Test
  void shouldEmitForgottenTargetWhenScoringPostIsForgotten() {
    // Given test_forget_cascades_to_metric_rows: the sink deletes the target's rows (cascade) from this record
    start();
    final AlephMessage post = TestMessages.scoringPost(SCORING_PAYLOAD);
    final AlephMessage forget = TestMessages.forget(SCORING_ADDRESS, post.getItemHash());
    pipe(post, T0);

    // When
    pipe(forget, T0.plusSeconds(60));

    // Then
    assertThat(forgotten.readKeyValuesToList()).singleElement().satisfies(record -> {
      assertThat(record.key).isEqualTo(post.getItemHash());
      assertThat(record.value.getTargetHash()).isEqualTo(post.getItemHash());
      assertThat(record.value.getForgetHash()).isEqualTo(forget.getItemHash());
      assertThat(record.value.getForgetSender()).isEqualTo(SCORING_ADDRESS);
      assertThat(record.value.getForgottenAt()).isEqualTo(forget.getTime());
    });
    assertThat(accepted.readValuesToList()).extracting(AcceptedMessage::getKind)
        .containsExactly(MessageKind.SCORING, MessageKind.FORGET);
    assertThat(counters.count("forget.targets.emitted")).isEqualTo(1);
  }

  @Test
  void shouldEmitOneRecordPerTargetWhenForgetNamesSeveralHashes() {
    // Given
    start();
    final String first = ItemHashes.sha256Hex("first");
    final String second = ItemHashes.sha256Hex("second");

    // When
    pipe(TestMessages.forget(OTHER_ADDRESS, first, second), T0);

    // Then
    assertThat(forgotten.readKeyValuesToList()).extracting(record -> record.key).containsExactly(first, second);
    assertThat(crn.isEmpty()).isTrue();
  }

  @Test
  void shouldFanOutEveryValidEntryWhenApiShapedFixturePageIsImported() {
    // Given: real-shaped API page (item_type storage, item_content null, parsed content)
    start();
    final List<AlephMessage> page = TestMessages.fixture("scoring-api-page.json");

    // When
    page.forEach(message -> pipe(message, T0));

    // Then
    final String first = page.get(0).getItemHash();
    final String second = page.get(1).getItemHash();
    assertThat(accepted.readKeyValuesToList()).extracting(record -> record.key).containsExactly(first, second);
    final List<CrnMetric> crnRecords = crn.readValuesToList();
    assertThat(crnRecords).extracting(CrnMetric::getItemHash).containsExactly(first, first, second);
    assertThat(crnRecords.get(0).getMeasuredAt()).isEqualTo(Instant.parse("2023-11-29T12:32:01.356539Z"));
    assertThat(crnRecords.get(0).getDiagnosticVmLatency()).isEqualTo(0.07122135162353516);
    assertThat(crnRecords.get(0).getMessageTime()).isEqualTo(page.get(0).getTime());
    assertThat(crnRecords.get(1).getFullCheckLatency()).isNull();
    final List<CcnMetric> ccnRecords = ccn.readValuesToList();
    assertThat(ccnRecords).hasSize(3);
    assertThat(ccnRecords.get(0).getEthHeightRemaining()).isEqualTo(224);
    assertThat(ccnRecords.get(1).getPendingMessages()).as("'lots'").isNull();
    assertThat(ccnRecords.get(1).getEthHeightRemaining()).as("'12'").isEqualTo(12);
    final CcnMetric coerced = ccnRecords.get(2);
    assertThat(coerced.getMeasuredAt()).isEqualTo(Instant.ofEpochSecond(1_701_264_623L));
    assertThat(coerced.getBaseLatency()).isEqualTo(0.5);
    assertThat(coerced.getBaseLatencyIpv4()).isNull();
    assertThat(coerced.getMetricsLatency()).isEqualTo(1.0);
    assertThat(coerced.getPendingMessages()).isEqualTo(3);
    assertThat(coerced.getEthHeightRemaining()).as("'42.0'").isNull();
    assertThat(counters.count("metrics.entries.skipped", "table", "crn", "reason", "node_id")).isEqualTo(1);
    assertThat(counters.count("metrics.entries.skipped", "table", "crn", "reason", "measured_at")).isEqualTo(1);
    assertThat(counters.count("messages.ignored", "reason", "channel")).isEqualTo(1);
  }

  @Test
  void shouldEmitOnceWhenSameItemHashArrivesTwiceWithinWindow() {
    // Given
    start(Map.of(PipelineConfig.DEDUP_WINDOW_MS, 60_000L));
    final AlephMessage post = TestMessages.scoringPost(SCORING_PAYLOAD);
    pipe(post, T0);

    // When: a re-broadcast, even under another record key
    pipe(post, T0.plusSeconds(30));
    input.pipeInput(new TestRecord<>("stray-key", post, T0.plusSeconds(59)));

    // Then
    assertThat(crn.readValuesToList()).hasSize(1);
    assertThat(ccn.readValuesToList()).hasSize(1);
    assertThat(accepted.readValuesToList()).hasSize(1);
    assertThat(counters.count("messages.duplicate")).isEqualTo(2);
    assertThat(counters.count("messages.seen")).isEqualTo(3);
  }

  @Test
  void shouldEmitAgainWhenSameItemHashArrivesAfterWindow() {
    // Given
    start(Map.of(PipelineConfig.DEDUP_WINDOW_MS, 60_000L));
    final AlephMessage post = TestMessages.scoringPost(SCORING_PAYLOAD);
    pipe(post, T0);

    // When
    pipe(post, T0.plus(Duration.ofSeconds(61)));

    // Then
    assertThat(crn.readValuesToList()).hasSize(2);
    assertThat(accepted.readValuesToList()).hasSize(2);
    assertThat(counters.count("messages.duplicate")).isZero();
  }

  @Test
  void shouldForgetDedupEntriesWhenStreamTimePassesRetention() {
    // Given
    start(Map.of(PipelineConfig.DEDUP_WINDOW_MS, 60_000L));
    final AlephMessage old = TestMessages.scoringPost(SCORING_PAYLOAD);
    pipe(old, T0);

    // When: stream time moves well past the window
    pipe(TestMessages.scoringPost("{'metrics': {}}"), T0.plus(Duration.ofMinutes(10)));

    // Then
    final var store = driver.<String, Long>getWindowStore(MessageTopology.DEDUP_STORE);
    try (var all = store.all()) {
      assertThat(all).toIterable().extracting(entry -> entry.key.key()).doesNotContain(old.getItemHash());
    }
  }

  @Test
  void shouldRouteCreditCandidateWhenCreditPostArrives() {
    // Given
    start();
    final AlephMessage transfer = inline(MessageType.POST, OTHER_ADDRESS, "ALEPH_CREDIT",
        postContent(OTHER_ADDRESS, "aleph_credit_transfer",
            "{'credits': [{'address': '0x1', 'amount': 5}]}"));
    final AlephMessage empty = inline(MessageType.POST, OTHER_ADDRESS, "ALEPH_CREDIT",
        postContent(OTHER_ADDRESS, "aleph_credit_transfer", "{}"));

    // When
    pipe(transfer, T0);
    pipe(empty, T0);

    // Then
    assertThat(creditCandidates).singleElement().satisfies(candidate -> {
      assertThat(candidate.key).isEqualTo(transfer.getItemHash());
      assertThat(candidate.value.owner()).isEqualTo(OTHER_ADDRESS);
      assertThat(candidate.value.postType()).isEqualTo("aleph_credit_transfer");
      assertThat(candidate.value.contentTime()).isEqualTo(Instant.parse("2023-11-14T22:13:20.500Z"));
      assertThat(candidate.value.content().get("content").get("credits").size()).isEqualTo(1);
    });
    assertThat(accepted.readValuesToList()).singleElement()
        .satisfies(parent -> assertThat(parent.getKind()).isEqualTo(MessageKind.CREDIT));
    assertThat(crn.isEmpty()).isTrue();
    assertThat(counters.count("messages.accepted", "kind", "credit")).isEqualTo(1);
  }

  @Test
  void shouldDropAndCountWhenCandidateContentIsInvalidOrRecordIsTombstone() {
    // Given
    start();
    final AlephMessage broken = AlephMessage.newBuilder(TestMessages.scoringPost(SCORING_PAYLOAD))
        .setItemContent("{\"type\": \"aleph-network-metrics\", \"content\": ").build();

    // When
    pipe(broken, T0);
    input.pipeInput(new TestRecord<>("gone", null, T0));

    // Then
    assertNoOutput();
    assertThat(counters.count("messages.invalid", "reason", "content_not_json")).isEqualTo(1);
    assertThat(counters.count("messages.ignored", "reason", "tombstone")).isEqualTo(1);
    assertThat(counters.count("messages.seen")).isEqualTo(2);
  }

  @Test
  void shouldNameEveryProcessorAndStoreWhenTopologyIsBuilt() {
    // Given
    final PipelineConfig config = config(Map.of());
    final Properties props = properties(config);
    final StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));

    // When
    MessageTopology.build(builder, config, Topics.from(config), new SerdeFactory(config.serdeProperties()),
        counters);
    final String description = builder.build().describe().toString();

    // Then
    assertThat(description).contains("Source: source-messages", "Processor: gate-messages",
        "Processor: dedup-messages (stores: [message-dedup-store])", "Processor: fan-out-crn-metrics",
        "Sink: sink-crn-metrics", "Sink: sink-ccn-metrics", "Sink: sink-accepted-messages",
        "Sink: sink-forgotten-messages", "Processor: map-credit-candidates");
    assertThat(description).doesNotContain("KSTREAM-");
  }

  @Test
  void shouldRefuseUnnamedStateWhenNamingIsEnforcedAsInTests() {
    // Given: the same settings the tests above run with
    final Properties props = properties(config(Map.of()));
    final StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));

    // When
    builder.<String, String>stream("in").groupByKey().count();

    // Then
    assertThatThrownBy(builder::build).isInstanceOf(TopologyException.class).hasMessageContaining("named");
  }

  private void assertNoOutput() {
    assertThat(crn.isEmpty()).isTrue();
    assertThat(ccn.isEmpty()).isTrue();
    assertThat(accepted.isEmpty()).isTrue();
    assertThat(forgotten.isEmpty()).isTrue();
    assertThat(creditCandidates).isEmpty();
  }
}
