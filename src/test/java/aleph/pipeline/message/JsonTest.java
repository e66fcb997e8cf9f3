package aleph.pipeline.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void shouldRefuseTextAfterTheDocumentAsPythonJsonLoadsDoes() {
    assertThatThrownBy(() -> Json.parse("{\"type\":\"x\"} garbage")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> Json.parse("{} {}")).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void shouldAcceptOneDocumentWithSurroundingWhitespace() throws Exception {
    assertThat(Json.parse("  {\"type\":\"x\"}\n").path("type").asText()).isEqualTo("x");
  }
}
