package aleph.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import aleph.pipeline.message.Json;

/**
 * Python's built-in conversions, checked against answers CPython 3.11 gave for the same JSON text
 * ({@code messages/python-coercions.jsonl}: {@code json.loads}, then {@code float}, {@code int},
 * {@code datetime.fromtimestamp(float(v), UTC)}, {@code str}, {@code bool}).
 */
class PyValuesTest {

  static Stream<Arguments> oracle() throws IOException {
    final List<Arguments> cases = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        PyValuesTest.class.getResourceAsStream("/messages/python-coercions.jsonl"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        final JsonNode record = Json.parse(line);
        cases.add(Arguments.of(record.get("input").textValue(), record));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "float({0})")
  @MethodSource("oracle")
  void shouldConvertToFloatAsPythonWhenGivenJsonValue(final String input, final JsonNode expected)
      throws IOException {
    // Given
    final JsonNode value = Json.parse(input);

    // When
    final Double actual = PyValues.toFloat(value);

    // Then
    final JsonNode want = expected.get("float");
    assertThat(actual == null ? null : PyValues.reprFloat(actual)).isEqualTo(want.isNull() ? null : want.textValue());
  }

  @ParameterizedTest(name = "int({0})")
  @MethodSource("oracle")
  void shouldConvertToIntAsPythonWhenGivenJsonValue(final String input, final JsonNode expected) throws IOException {
    // Given
    final JsonNode value = Json.parse(input);

    // When
    final BigInteger actual = PyValues.toInt(value);

    // Then
    final JsonNode want = expected.get("int");
    assertThat(actual == null ? null : actual.toString()).isEqualTo(want.isNull() ? null : want.textValue());
  }

  @ParameterizedTest(name = "fromtimestamp({0})")
  @MethodSource("oracle")
  void shouldConvertToTimestampAsPythonWhenGivenJsonValue(final String input, final JsonNode expected)
      throws IOException {
    // Given
    final JsonNode value = Json.parse(input);

    // When
    final Instant actual = PyValues.toTimestamp(value);

    // Then
    final JsonNode want = expected.get("timestamp_micros");
    final Long micros = actual == null ? null
        : Math.addExact(Math.multiplyExact(actual.getEpochSecond(), 1_000_000L), actual.getNano() / 1000);
    assertThat(micros).isEqualTo(want.isNull() ? null : want.longValue());
  }

  @ParameterizedTest(name = "str({0})")
  @MethodSource("oracle")
  void shouldPrintAsPythonStrWhenGivenTruthyJsonValue(final String input, final JsonNode expected)
      throws IOException {
    // Given
    final JsonNode value = Json.parse(input);

    // When
    final boolean truthy = PyValues.truthy(value);
    final String text = truthy ? PyValues.str(value) : null;

    // Then
    assertThat(truthy).isEqualTo(expected.get("truthy").booleanValue());
    final JsonNode want = expected.get("str");
    assertThat(text).isEqualTo(want.isNull() ? null : want.textValue());
  }

  @ParameterizedTest(name = "repr({0})")
  @CsvSource({
      "1e16, 1e+16",
      "1234567890123456.0, 1234567890123456.0",
      "0.0001, 0.0001",
      "0.00001, 1e-05",
      "0.30000000000000004, 0.30000000000000004",
      "9007199254740992.0, 9007199254740992.0",
      "-2.5, -2.5",
      "5e-324, 5e-324",
  })
  void shouldReprFloatAsPythonWhenGivenDouble(final double value, final String expected) {
    // When
    final String repr = PyValues.reprFloat(value);

    // Then
    assertThat(repr).isEqualTo(expected);
  }

  @ParameterizedTest(name = "absent {0}")
  @CsvSource({"missing", "null"})
  void shouldGiveNullWhenValueIsAbsent(final String kind) {
    // Given
    final JsonNode value = kind.equals("missing") ? Json.MAPPER.missingNode() : Json.MAPPER.nullNode();

    // When / Then
    assertThat(PyValues.toFloat(value)).isNull();
    assertThat(PyValues.toInt(value)).isNull();
    assertThat(PyValues.toTimestamp(value)).isNull();
    assertThat(PyValues.toFloat(null)).isNull();
    assertThat(PyValues.truthy(value)).isFalse();
  }
}
