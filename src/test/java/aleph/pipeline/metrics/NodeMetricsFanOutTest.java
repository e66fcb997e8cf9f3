package aleph.pipeline.metrics;

import static aleph.pipeline.message.TestMessages.parsedScoring;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.message.TestMessages;

/** Row construction and coercion (DOMAIN 2.4) and the record-level bullets of test_metrics_persistence.py. */
class NodeMetricsFanOutTest {

  private final PipelineCounters counters = new PipelineCounters();
  private final NodeMetricsFanOut fanOut = new NodeMetricsFanOut(counters);

  private static String crnEntry(final String fields) {
    return "{'metrics': {'crn': [{" + fields + "}]}}";
  }

  private static String ccnEntry(final String fields) {
    return "{'metrics': {'ccn': [{" + fields + "}]}}";
  }

  @Test
  void shouldMapEveryCrnFieldWhenPayloadIsFull() {
    // Given test_build_crn_rows_full_payload
    final ParsedMessage message = parsedScoring("{'metrics': {'crn': ["
        + "{'node_id': 'node-A', 'measured_at': 1700000000.0, 'base_latency': 0.1, 'base_latency_ipv4': 0.2,"
        + " 'full_check_latency': 0.3, 'diagnostic_vm_latency': 0.4, 'asn': 1, 'url': 'https://a/'},"
        + "{'node_id': 'node-B', 'measured_at': 1700000100.0, 'base_latency': 0.5}]}}");

    // When
    final List<CrnMetric> rows = fanOut.crn(message);

    // Then
    assertThat(rows).hasSize(2);
    final CrnMetric first = rows.get(0);
    assertThat(first.getItemHash()).isEqualTo(message.envelope().getItemHash());
    assertThat(first.getNodeId()).isEqualTo("node-A");
    assertThat(first.getMeasuredAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(first.getBaseLatency()).isEqualTo(0.1);
    assertThat(first.getBaseLatencyIpv4()).isEqualTo(0.2);
    assertThat(first.getFullCheckLatency()).isEqualTo(0.3);
    assertThat(first.getDiagnosticVmLatency()).isEqualTo(0.4);
    assertThat(first.getMessageTime()).isEqualTo(message.envelope().getTime());
    assertThat(first.getSender()).isEqualTo(message.envelope().getSender());
    assertThat(first.getChannel()).isEqualTo(TestMessages.SCORING_CHANNEL);
    assertThat(first.getOwner()).isEqualTo(TestMessages.SCORING_ADDRESS);
    assertThat(rows.get(1).getNodeId()).isEqualTo("node-B");
    assertThat(counters.count("metrics.entries.emitted", "table", "crn")).isEqualTo(2);
  }

  @Test
  void shouldLeaveMissingLatenciesNullWhenOptionalFieldsAreAbsent() {
    // Given test_build_crn_rows_missing_optional_fields
    final ParsedMessage message = parsedScoring(crnEntry("'node_id': 'n', 'measured_at': 1700000000"));

    // When
    final List<CrnMetric> rows = fanOut.crn(message);

    // Then
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getBaseLatency()).isNull();
      assertThat(row.getBaseLatencyIpv4()).isNull();
      assertThat(row.getFullCheckLatency()).isNull();
      assertThat(row.getDiagnosticVmLatency()).isNull();
    });
    assertThat(counters.total("metrics.coercions.null")).as("absent is not a failed coercion").isZero();
  }

  @Test
  void shouldSkipEntriesWhenNodeIdOrMeasuredAtIsMissing() {
    // Given test_build_crn_rows_skips_entries_missing_required_fields
    final ParsedMessage message = parsedScoring("{'metrics': {'crn': ["
        + "{'measured_at': 1700000000, 'base_latency': 0.1},"
        + "{'node_id': 'no-time', 'base_latency': 0.2},"
        + "{'node_id': 'ok', 'measured_at': 1700000000, 'base_latency': 0.3}]}}");

    // When
    final List<CrnMetric> rows = fanOut.crn(message);

    // Then
    assertThat(rows).extracting(CrnMetric::getNodeId).containsExactly("ok");
    assertThat(counters.count("metrics.entries.skipped", "table", "crn", "reason", "node_id")).isEqualTo(1);
    assertThat(counters.count("metrics.entries.skipped", "table", "crn", "reason", "measured_at")).isEqualTo(1);
  }

  @Test
  void shouldSkipEntryWhenNodeIdIsEmpty() {
    // Given test_build_crn_rows_skips_empty_node_id
    final ParsedMessage message = parsedScoring(crnEntry("'node_id': '', 'measured_at': 1700000000"));

    // When / Then
    assertThat(fanOut.crn(message)).isEmpty();
  }

  @Test
  void shouldStoreNullWhenLatencyIsNotANumber() {
    // Given test_build_crn_rows_non_numeric_field_becomes_none
    final ParsedMessage message = parsedScoring(crnEntry(
        "'node_id': 'n', 'measured_at': 1700000000, 'base_latency': 'not-a-number', 'base_latency_ipv4': 0.2"));

    // When
    final List<CrnMetric> rows = fanOut.crn(message);

    // Then
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getBaseLatency()).isNull();
      assertThat(row.getBaseLatencyIpv4()).isEqualTo(0.2);
    });
    assertThat(counters.count("metrics.coercions.null", "table", "crn", "field", "base_latency", "reason",
        "invalid")).isEqualTo(1);
  }

  @Test
  void shouldEmitNothingWhenCrnArrayIsEmpty() {
    // Given test_build_crn_rows_empty_array
    final ParsedMessage message = parsedScoring("{'metrics': {'crn': [], 'ccn': []}}");

    // When / Then
    assertThat(fanOut.crn(message)).isEmpty();
    assertThat(fanOut.ccn(message)).isEmpty();
  }

  @Test
  void shouldMapEveryCcnFieldWhenPayloadIsFull() {
    // Given test_build_ccn_rows_full_payload
    final ParsedMessage message = parsedScoring(ccnEntry("'node_id': 'ccn-1', 'measured_at': 1700000000.0,"
        + " 'base_latency': 0.1, 'base_latency_ipv4': 0.2, 'metrics_latency': 0.3, 'aggregate_latency': 0.4,"
        + " 'file_download_latency': 0.5, 'pending_messages': 42, 'eth_height_remaining': 7, 'txs_total': 9"));

    // When
    final List<CcnMetric> rows = fanOut.ccn(message);

    // Then
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getItemHash()).isEqualTo(message.envelope().getItemHash());
      assertThat(row.getNodeId()).isEqualTo("ccn-1");
      assertThat(row.getMeasuredAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
      assertThat(row.getBaseLatency()).isEqualTo(0.1);
      assertThat(row.getBaseLatencyIpv4()).isEqualTo(0.2);
      assertThat(row.getMetricsLatency()).isEqualTo(0.3);
      assertThat(row.getAggregateLatency()).isEqualTo(0.4);
      assertThat(row.getFileDownloadLatency()).isEqualTo(0.5);
      assertThat(row.getPendingMessages()).isEqualTo(42);
      assertThat(row.getEthHeightRemaining()).isEqualTo(7);
      assertThat(row.getOwner()).isEqualTo(TestMessages.SCORING_ADDRESS);
    });
  }

  @Test
  void shouldStoreNullWhenPendingMessagesIsNotAnInteger() {
    // Given test_build_ccn_rows_non_numeric_pending_messages_becomes_none
    final ParsedMessage message = parsedScoring(ccnEntry(
        "'node_id': 'c', 'measured_at': 1700000000, 'pending_messages': 'lots', 'eth_height_remaining': 7"));

    // When
    final List<CcnMetric> rows = fanOut.ccn(message);

    // Then
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getPendingMessages()).isNull();
      assertThat(row.getEthHeightRemaining()).isEqualTo(7);
    });
  }

  @ParameterizedTest(name = "payload {0}")
  @ValueSource(strings = {
      "{}",                                    // test_insert_node_metrics_missing_metrics_key_is_noop
      "{'metrics': null}",
      "{'metrics': {}}",
      "{'metrics': []}",
      "{'metrics': ['crn']}",
      "{'metrics': 'crn'}",
      "{'metrics': {'crn': {'node_id': 'n', 'measured_at': 1}, 'ccn': 'x'}}",
      "{'metrics': {'crn': null, 'ccn': 0}}",
  })
  void shouldEmitNothingWhenMetricsOrArraysAreMissingOrMistyped(final String payload) {
    // Given
    final ParsedMessage message = parsedScoring(payload);

    // When / Then
    assertThat(fanOut.crn(message)).isEmpty();
    assertThat(fanOut.ccn(message)).isEmpty();
    assertThat(counters.total("metrics.entries.skipped")).isZero();
  }

  @ParameterizedTest(name = "entry {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'just-a-string'                                     | not_object",
      "42                                                  | not_object",
      "null                                                | not_object",
      "['node', 1700000000]                                | not_object",
      "{'measured_at': 1700000000}                         | node_id",
      "{'node_id': null, 'measured_at': 1700000000}        | node_id",
      "{'node_id': '', 'measured_at': 1700000000}          | node_id",
      "{'node_id': 0, 'measured_at': 1700000000}           | node_id",
      "{'node_id': 0.0, 'measured_at': 1700000000}         | node_id",
      "{'node_id': false, 'measured_at': 1700000000}       | node_id",
      "{'node_id': [], 'measured_at': 1700000000}          | node_id",
      "{'node_id': {}, 'measured_at': 1700000000}          | node_id",
      "{'node_id': 'n'}                                    | measured_at",
      "{'node_id': 'n', 'measured_at': null}               | measured_at",
      "{'node_id': 'n', 'measured_at': 'abc'}              | measured_at",
      "{'node_id': 'n', 'measured_at': [1700000000]}       | measured_at",
      "{'node_id': 'n', 'measured_at': {'t': 1}}           | measured_at",
      "{'node_id': 'n', 'measured_at': 'nan'}              | measured_at",
      "{'node_id': 'n', 'measured_at': 'inf'}              | measured_at",
      "{'node_id': 'n', 'measured_at': '-inf'}             | measured_at",
      "{'node_id': 'n', 'measured_at': 1e20}               | measured_at",
      "{'node_id': 'n', 'measured_at': 253402300800}       | measured_at",
      "{'node_id': 'n', 'measured_at': -62135596801}       | measured_at",
  })
  void shouldSkipEntryWhenItCannotBeARow(final String entry, final String reason) {
    // Given
    final ParsedMessage message = parsedScoring("{'metrics': {'crn': [" + entry + "], 'ccn': [" + entry + "]}}");

    // When
    final List<CrnMetric> crn = fanOut.crn(message);
    final List<CcnMetric> ccn = fanOut.ccn(message);

    // Then
    assertThat(crn).isEmpty();
    assertThat(ccn).isEmpty();
    assertThat(counters.count("metrics.entries.skipped", "table", "crn", "reason", reason)).isEqualTo(1);
    assertThat(counters.count("metrics.entries.skipped", "table", "ccn", "reason", reason)).isEqualTo(1);
  }

  @ParameterizedTest(name = "node_id {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'5adbe916'        | 5adbe916",
      "123               | 123",
      "-7                | -7",
      "1.5               | 1.5",
      "1e16              | 1e+16",
      "true              | True",
      "' '               | \" \"",
      "['a', 1]          | ['a', 1]",
  })
  void shouldStoreNodeIdAsPythonStrWhenItIsTruthy(final String nodeId, final String expected) {
    // Given
    final ParsedMessage message = parsedScoring(crnEntry("'node_id': " + nodeId + ", 'measured_at': 0"));

    // When
    final List<CrnMetric> rows = fanOut.crn(message);

    // Then
    assertThat(rows).singleElement().extracting(CrnMetric::getNodeId).isEqualTo(expected);
  }

  @ParameterizedTest(name = "measured_at {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "1700000000                | 2023-11-14T22:13:20Z",
      "1700000000.0              | 2023-11-14T22:13:20Z",
      "'1700000000'              | 2023-11-14T22:13:20Z",
      "' 7 '                     | 1970-01-01T00:00:07Z",
      "'1e3'                     | 1970-01-01T00:16:40Z",
      "true                      | 1970-01-01T00:00:01Z",
      "false                     | 1970-01-01T00:00:00Z",
      "0                         | 1970-01-01T00:00:00Z",
      "-1.5                      | 1969-12-31T23:59:58.500Z",
      "1701261121.356539         | 2023-11-29T12:32:01.356539Z",
      "253402300799              | 9999-12-31T23:59:59Z",
  })
  void shouldConvertMeasuredAtToMicrosecondsWhenItIsUsable(final String value, final String expected) {
    // Given
    final ParsedMessage message = parsedScoring(crnEntry("'node_id': 'n', 'measured_at': " + value));

    // When
    final List<CrnMetric> rows = fanOut.crn(message);

    // Then
    assertThat(rows).singleElement().extracting(CrnMetric::getMeasuredAt).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest(name = "float {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", value = {
      "0.25               | 0.25",
      "3                  | 3.0",
      "'0.5'              | 0.5",
      "' 7 '              | 7.0",
      "'1e3'              | 1000.0",
      "'nan'              | NaN",
      "'inf'              | Infinity",
      "'-Infinity'        | -Infinity",
      "true               | 1.0",
      "false              | 0.0",
      "'not-a-number'     | NULL",
      "'0x10'             | NULL",
      "[0.1]              | NULL",
      "{'v': 0.1}         | NULL",
  })
  void shouldCoerceFloatColumnsAsPythonFloatWhenValueIsPresent(final String value, final Double expected) {
    // Given
    final ParsedMessage message = parsedScoring(ccnEntry("'node_id': 'n', 'measured_at': 0, 'metrics_latency': "
        + value));

    // When
    final List<CcnMetric> rows = fanOut.ccn(message);

    // Then
    assertThat(rows).singleElement().extracting(CcnMetric::getMetricsLatency).isEqualTo(expected);
    assertThat(counters.count("metrics.coercions.null", "table", "ccn", "field", "metrics_latency", "reason",
        "invalid")).isEqualTo(expected == null ? 1 : 0);
  }

  @ParameterizedTest(name = "int {0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", value = {
      "42                 | 42          | ",
      "3.9                | 3           | ",
      "-2.7               | -2          | ",
      "'42'               | 42          | ",
      "' 42 '             | 42          | ",
      "true               | 1           | ",
      "false              | 0           | ",
      "2147483647         | 2147483647  | ",
      "-2147483648        | -2147483648 | ",
      "'42.0'             | NULL        | invalid",
      "'lots'             | NULL        | invalid",
      "'nan'              | NULL        | invalid",
      "[1]                | NULL        | invalid",
      "2147483648         | NULL        | int32_range",
      "-2147483649        | NULL        | int32_range",
      "1e12               | NULL        | int32_range",
      "'99999999999'      | NULL        | int32_range",
  })
  void shouldCoerceIntColumnsAsPythonIntWhenValueIsPresent(final String value, final Integer expected,
      final String nullReason) {
    // Given
    final ParsedMessage message = parsedScoring(ccnEntry("'node_id': 'n', 'measured_at': 0, 'pending_messages': "
        + value + ", 'eth_height_remaining': " + value));

    // When
    final List<CcnMetric> rows = fanOut.ccn(message);

    // Then
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getPendingMessages()).isEqualTo(expected);
      assertThat(row.getEthHeightRemaining()).isEqualTo(expected);
    });
    if (nullReason != null) {
      assertThat(counters.count("metrics.coercions.null", "table", "ccn", "field", "pending_messages", "reason",
          nullReason)).isEqualTo(1);
    } else {
      assertThat(counters.total("metrics.coercions.null")).isZero();
    }
  }

  @Test
  void shouldKeepEveryRowWhenNodeAndTimeRepeat() {
    // Given: the reference does not de-duplicate within a message
    final ParsedMessage message = parsedScoring("{'metrics': {'crn': ["
        + "{'node_id': 'n', 'measured_at': 5}, {'node_id': 'n', 'measured_at': 5}]}}");

    // When / Then
    assertThat(fanOut.crn(message)).hasSize(2);
  }
}
