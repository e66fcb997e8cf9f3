package aleph.pipeline.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageReaderTest {

  private final List<String> seen = new ArrayList<>();
  private final List<String> malformed = new ArrayList<>();

  private void read(final String text) throws IOException {
    MessageReader.read(new StringReader(text), new MessageReader.Visitor() {
      @Override
      public void envelope(final String position, final JsonNode envelope) {
        seen.add(position + " " + envelope.path("item_hash").asText("?"));
      }

      @Override
      public void malformed(final String position, final String reason) {
        malformed.add(position);
      }
    });
  }

  @Test
  void shouldVisitEachElementWhenInputIsJsonArray() throws IOException {
    // Given
    final String text = "[\n  {\"item_hash\": \"a\"},\n  {\"item_hash\": \"b\"}\n]\n";

    // When
    read(text);

    // Then
    assertThat(seen).containsExactly("index 0 (line 2) a", "index 1 (line 3) b");
    assertThat(malformed).isEmpty();
  }

  @Test
  void shouldSkipBadLineAndContinueWhenInputIsNdjson() throws IOException {
    // Given
    final String text = "{\"item_hash\": \"a\"}\n\n{\"item_hash\": \n{\"item_hash\": \"c\"}\n";

    // When
    read(text);

    // Then
    assertThat(seen).containsExactly("line 1 a", "line 4 c");
    assertThat(malformed).containsExactly("line 3");
  }

  @Test
  void shouldVisitPageMessagesWhenInputIsPrettyPrintedApiPage() throws IOException {
    // Given
    final var in = getClass().getResourceAsStream("/messages/scoring-api-page.json");

    // When
    MessageReader.read(new InputStreamReader(in, StandardCharsets.UTF_8), new MessageReader.Visitor() {
      @Override
      public void envelope(final String position, final JsonNode envelope) {
        seen.add(position);
      }

      @Override
      public void malformed(final String position, final String reason) {
        malformed.add(position);
      }
    });

    // Then
    assertThat(seen).containsExactly("line 1, messages[0]", "line 1, messages[1]", "line 1, messages[2]");
    assertThat(malformed).isEmpty();
  }

  @Test
  void shouldVisitPageMessagesWhenPagesAreNdjsonLines() throws IOException {
    // Given
    final String text = "{\"messages\": [{\"item_hash\": \"a\"}, {\"item_hash\": \"b\"}], \"pagination_page\": 1}\n"
        + "{\"messages\": [{\"item_hash\": \"c\"}], \"pagination_page\": 2}\n";

    // When
    read(text);

    // Then
    assertThat(seen).containsExactly("line 1, messages[0] a", "line 1, messages[1] b", "line 2, messages[0] c");
  }

  @Test
  void shouldVisitOneMessageWhenInputIsPrettyPrintedObject() throws IOException {
    // Given
    final String text = "\uFEFF{\n  \"item_hash\": \"a\",\n  \"type\": \"POST\"\n}\n";

    // When
    read(text);

    // Then
    assertThat(seen).containsExactly("line 1 a");
  }

  @Test
  void shouldReportAndStopWhenArrayIsCutShort() throws IOException {
    // Given
    final String text = "[{\"item_hash\": \"a\"},\n{\"item_hash\": ";

    // When
    read(text);

    // Then
    assertThat(seen).containsExactly("index 0 (line 1) a");
    assertThat(malformed).hasSize(1);
  }

  @ParameterizedTest(name = "input [{0}]")
  @ValueSource(strings = {"", "   \n\n"})
  void shouldVisitNothingWhenInputIsEmpty(final String text) throws IOException {
    // When
    read(text);

    // Then
    assertThat(seen).isEmpty();
    assertThat(malformed).isEmpty();
  }
}
