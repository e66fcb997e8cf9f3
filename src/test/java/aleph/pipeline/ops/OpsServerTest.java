package aleph.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OpsServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldRenderInstantsAsIsoText() throws Exception {
    try (OpsServer server = new OpsServer("127.0.0.1", 0)) {
      // Given
      server.json("/t", () -> Map.of("at", Instant.parse("2026-11-21T12:00:00Z")));
      server.start();

      // When
      final HttpResponse<String> response = get(server, "/t");

      // Then
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"2026-11-21T12:00:00Z\"");
    }
  }

  @Test
  void shouldAnswer500WithTheReasonWhenAHandlerFails() throws Exception {
    try (OpsServer server = new OpsServer("127.0.0.1", 0)) {
      // Given
      server.route("/boom", exchange -> {
        throw new java.io.IOException("disk on fire");
      });
      server.json("/down", () -> new OpsServer.HttpStatus(503, Map.of("status", "DOWN")));
      server.start();

      // Then
      final HttpResponse<String> boom = get(server, "/boom");
      assertThat(boom.statusCode()).isEqualTo(500);
      assertThat(boom.body()).contains("disk on fire");
      assertThat(get(server, "/down").statusCode()).isEqualTo(503);
    }
  }

  private static HttpResponse<String> get(final OpsServer server, final String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
