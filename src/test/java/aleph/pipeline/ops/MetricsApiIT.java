package aleph.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.MetricsQueries;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;

/** The reference node's metrics read contract (DOMAIN 2.8 and its API tests) on a real database. */
@ExtendWith(PipelineInfra.class)
class MetricsApiIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  @Test
  void shouldFilterByNodeAndInclusiveStartAndHideNodeId(final TestEnv env) throws Exception {
    // Given
    seed(env, """
        INSERT INTO crn_metrics (item_hash, node_id, measured_at, base_latency) VALUES
          ('h1', 'node-A', to_timestamp(100), 0.1), ('h1', 'node-A', to_timestamp(200), 0.2),
          ('h1', 'node-B', to_timestamp(150), 0.3)""");

    try (OpsServer server = server(env)) {
      // When
      final var response = get(server, "/api/v0/compute/node-A/metrics?start_date=150&sort=asc");

      // Then
      assertThat(response.statusCode()).isEqualTo(200);
      final Map<String, List<Object>> body = parse(response.body());
      assertThat(body).containsOnlyKeys("item_hash", "measured_at", "base_latency", "base_latency_ipv4",
          "full_check_latency", "diagnostic_vm_latency");
      assertThat(body.get("measured_at")).containsExactly(200.0);
      assertThat(body.get("base_latency")).containsExactly(0.2);
      assertThat(body.get("base_latency_ipv4")).containsExactly((Object) null);
    }
  }

  @Test
  void shouldReturnEveryCcnColumnInOrderWithEpochFloats(final TestEnv env) throws Exception {
    // Given
    seed(env, """
        INSERT INTO ccn_metrics (item_hash, node_id, measured_at, base_latency, base_latency_ipv4, metrics_latency,
          aggregate_latency, file_download_latency, pending_messages, eth_height_remaining)
        VALUES ('h1', 'ccn-A', to_timestamp(500), 0.1, 0.2, 0.3, 0.4, 0.5, 5, 7),
               ('h1', 'ccn-A', to_timestamp(1700000000.25), 1, 1, 1, 1, 1, 6, 8)""");

    try (OpsServer server = server(env)) {
      // When
      final var response = get(server, "/api/v0/core/ccn-A/metrics?start_date=1&sort=DESC");

      // Then
      assertThat(response.statusCode()).isEqualTo(200);
      final Map<String, List<Object>> body = parse(response.body());
      assertThat(List.copyOf(body.keySet())).containsExactly("item_hash", "measured_at", "base_latency",
          "base_latency_ipv4", "metrics_latency", "aggregate_latency", "file_download_latency", "pending_messages",
          "eth_height_remaining");
      assertThat(body.get("measured_at")).containsExactly(1700000000.25, 500.0);
      assertThat(body.get("pending_messages")).containsExactly(6, 5);
      assertThat(body.get("eth_height_remaining")).containsExactly(8, 7);
    }
  }

  @Test
  void shouldDefaultToTheLastFourteenDaysWhenStartIsZeroOrAbsent(final TestEnv env) throws Exception {
    // Given: one row 13 days ago, one 15 days ago
    seed(env, "INSERT INTO crn_metrics (item_hash, node_id, measured_at) VALUES "
        + "('h1', 'n', '" + NOW.minusSeconds(13 * 86400) + "'), ('h1', 'n', '" + NOW.minusSeconds(15 * 86400) + "')");

    try (OpsServer server = server(env)) {
      // When
      final var absent = parse(get(server, "/api/v0/compute/n/metrics").body());
      final var zero = parse(get(server, "/api/v0/compute/n/metrics?start_date=0").body());
      final var endOnly = parse(get(server, "/api/v0/compute/n/metrics?end_date="
          + NOW.minusSeconds(14 * 86400).getEpochSecond()).body());

      // Then
      assertThat(absent.get("measured_at")).containsExactly((double) NOW.minusSeconds(13 * 86400).getEpochSecond());
      assertThat(zero).isEqualTo(absent);
      assertThat(endOnly.get("measured_at")).containsExactly((double) NOW.minusSeconds(15 * 86400).getEpochSecond());
    }
  }

  @Test
  void shouldAnswer404ForAnUnknownNodeAnd422ForMalformedParameters(final TestEnv env) throws Exception {
    try (OpsServer server = server(env)) {
      assertThat(get(server, "/api/v0/compute/unknown/metrics?start_date=1").statusCode()).isEqualTo(404);
      assertThat(get(server, "/api/v0/compute/n/metrics?start_date=abc").statusCode()).isEqualTo(422);
      assertThat(get(server, "/api/v0/compute/n/metrics?start_date=nan").statusCode()).isEqualTo(422);
      assertThat(get(server, "/api/v0/compute/n/metrics?sort=2").statusCode()).isEqualTo(422);
      assertThat(get(server, "/api/v0/compute/n/metrics?sort=foo").body()).contains("sort");
    }
  }

  private static void seed(final TestEnv env, final String metricsInsert) throws Exception {
    try (Connection c = env.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO messages (item_hash, type, chain, sender, time, owner) "
          + "VALUES ('h1', 'POST', 'ETH', 's', now(), 's')");
      s.execute(metricsInsert);
    }
  }

  private static OpsServer server(final TestEnv env) {
    final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(env.jdbcUrl());
    dataSource.setUser(env.config().getString(PipelineConfig.JDBC_USER));
    final OpsServer server = new OpsServer("127.0.0.1", 0);
    server.route("/api/v0/", new MetricsApi(new MetricsQueries(dataSource), Clock.fixed(NOW, ZoneOffset.UTC)));
    server.start();
    return server;
  }

  private static HttpResponse<String> get(final OpsServer server, final String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, List<Object>> parse(final String body) throws Exception {
    return OpsServer.JSON.readValue(body, new TypeReference<java.util.LinkedHashMap<String, List<Object>>>() { });
  }
}
