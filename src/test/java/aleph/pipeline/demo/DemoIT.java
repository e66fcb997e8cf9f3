package aleph.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.db.DatabaseSummary;
import aleph.pipeline.runtime.PipelineRuntime;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;

/** The demo's path end to end: the real runtime, the sample stream, everything landed exactly. */
@ExtendWith(PipelineInfra.class)
class DemoIT {

  @Test
  void shouldLandTheSampleStreamExactlyOnce(final TestEnv env) throws Exception {
    // Given
    final List<List<AlephMessage>> sample = new SampleStream(env.config(), Instant.now(), 7L).phases(20);
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    // When
    try (PipelineRuntime runtime = PipelineRuntime.start(env.config())) {
      final DemoRunner demo = new DemoRunner(runtime, new PrintStream(printed, true, StandardCharsets.UTF_8));
      assertThat(demo.publishInPhases(sample, true, Duration.ofSeconds(120))).as("landed").isTrue();
      demo.printSummary();

      // Then
      try (DatabaseSummary db = new DatabaseSummary(runtime.config())) {
        final Map<String, Map<String, Long>> rows = db.rowsPerTableAndPartition();
        // 20 posts of 40 CRN and 20 CCN entries; the first (with hostile entries) is forgotten.
        assertThat(total(rows.get("crn_metrics"))).isEqualTo(19 * 40);
        assertThat(total(rows.get("ccn_metrics"))).isEqualTo(19 * 20);
        assertThat(rows.get("crn_metrics")).anySatisfy((child, count) -> assertThat(child).endsWith("_default"))
            .allSatisfy((child, count) -> {
              if (child.endsWith("_default")) {
                assertThat(count).as("rows in DEFAULT").isZero();
              }
            });
        assertThat(total(rows.get("forgotten_messages"))).isEqualTo(1);
        assertThat(db.buckets("0xA11ce00000000000000000000000000000000001"))
            .extracting(Map.Entry::getValue).containsExactly(700_000L);
        assertThat(db.buckets("0xB0b0000000000000000000000000000000000002").stream()
            .mapToLong(Map.Entry::getValue).sum()).isEqualTo(2_000_000L - 250_000L + 1_500_000L);
      }
      // The same balance, served from the ledger's state store.
      final HttpResponse<String> balance = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          runtime.http().baseUrl() + "/api/v0/addresses/0xA11ce00000000000000000000000000000000001/credit_balance"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(balance.statusCode()).isEqualTo(200);
      assertThat(balance.body()).contains("\"credit_balance\":700000");
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Dead letters: 1", "Credit rejections: 2");
  }

  private static long total(final Map<String, Long> children) {
    return children.values().stream().mapToLong(Long::longValue).sum();
  }
}
