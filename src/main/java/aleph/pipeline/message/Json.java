package aleph.pipeline.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON dialect of message content: what Python's {@code json.loads} accepts (including the {@code NaN} and
 * {@code Infinity} literals), written back with plain decimals so content times keep their digits.
 */
public final class Json {

  public static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  private Json() {
  }

  /** Parses one JSON document; throws on malformed text or trailing garbage. */
  public static JsonNode parse(final String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** Compact JSON text of {@code node}. */
  public static String write(final JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
