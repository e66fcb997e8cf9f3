package aleph.pipeline.message;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import aleph.pipeline.metrics.PyValues;

/**
 * The JSON dialect of message content: what Python's {@code json.loads} accepts (including the {@code NaN} and
 * {@code Infinity} literals, which the gate then refuses), written back as Python's {@code json.dumps} writes
 * numbers (floats in {@code repr} form, e.g. {@code 1652786281.980474}, {@code 1e+16}).
 */
public final class Json {

  /** CPython's {@code json.loads} refuses integers longer than this (its int/str conversion limit). */
  static final int MAX_NUMBER_DIGITS = 4300;

  public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_NUMBER_DIGITS).build())
          .build())
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  /** Refuses text after the document, as Python's json.loads does ("Extra data"); kept off MAPPER itself because
   * streaming readers of several documents need it off. */
  private static final ObjectReader STRICT = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {
  }

  /** Parses one JSON document; throws on malformed text or trailing garbage. */
  public static JsonNode parse(final String text) throws JsonProcessingException {
    return STRICT.readTree(text);
  }

  /** Compact JSON text of {@code node}, floats as Python prints them. */
  public static String write(final JsonNode node) {
    final StringWriter out = new StringWriter();
    try (JsonGenerator generator = new PythonFloats(MAPPER.createGenerator(out))) {
      MAPPER.writeTree(generator, node);
    } catch (IOException e) {
      throw new UncheckedIOException("a JSON tree always serialises", e);
    }
    return out.toString();
  }

  /** True when the tree holds a NaN or infinite number (a {@code NaN} literal or an overflowing float). */
  public static boolean hasNonFiniteNumber(final JsonNode node) {
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        if (hasNonFiniteNumber(child)) {
          return true;
        }
      }
      return false;
    }
    return node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue());
  }

  private static final class PythonFloats extends JsonGeneratorDelegate {

    PythonFloats(final JsonGenerator delegate) {
      super(delegate, false);
    }

    @Override
    public void writeNumber(final double value) throws IOException {
      if (Double.isNaN(value)) {
        delegate.writeNumber("NaN");
      } else if (Double.isInfinite(value)) {
        delegate.writeNumber(value > 0 ? "Infinity" : "-Infinity");
      } else {
        delegate.writeNumber(PyValues.reprFloat(value));
      }
    }

    @Override
    public void writeNumber(final float value) throws IOException {
      writeNumber((double) value);
    }
  }
}
