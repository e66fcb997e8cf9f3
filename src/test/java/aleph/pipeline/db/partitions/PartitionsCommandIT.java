package aleph.pipeline.db.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import aleph.pipeline.cli.Main;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;

@ExtendWith(PipelineInfra.class)
class PartitionsCommandIT {

  private static final PartitionInterval MONTH = PartitionInterval.MONTH;

  @Test
  void shouldMaintainAndShowStatusWhenRunFromTheCommandLine(final TestEnv env) throws Exception {
    // Given
    final Instant now = Instant.now();
    final String ahead = MONTH.childName("crn_metrics", MONTH.plus(now, 2));

    // When
    final Result dryRun =
        run(env, "partitions", "maintain", "--dry-run", "--set", "partitions.crn_metrics.lookahead=2");
    final Result maintain = run(env, "partitions", "maintain", "--set", "partitions.crn_metrics.lookahead=2");
    final Result json = run(env, "partitions", "status", "--json");
    final Result table = run(env, "partitions", "status");

    // Then
    assertThat(dryRun.exit()).isZero();
    assertThat(dryRun.out()).contains("crn_metrics:\n  create " + ahead, "ccn_metrics: nothing to do");
    assertThat(maintain.exit()).isZero();
    assertThat(maintain.out()).containsPattern("(?m)^succeeded \\(cli");
    final JsonNode status = new ObjectMapper().readTree(json.out());
    assertThat(status.get("latest_crn_metrics_partition_table_name").asText()).isEqualTo(ahead);
    assertThat(status.at("/maintenance/last_run/trigger").asText()).isEqualTo("cli");
    assertThat(table.out()).contains("crn_metrics  RANGE (measured_at)  every month", ahead, "last run: succeeded");
  }

  @Test
  void shouldSplitTheDefaultPartitionWhenOperatorAsksForAPeriod(final TestEnv env) throws Exception {
    // Given
    try (var c = env.connect(); var s = c.createStatement()) {
      s.execute("INSERT INTO messages (item_hash, type, chain, sender, time, owner) VALUES ('h', 'POST', 'ETH', "
          + "'s', now(), 'o')");
      s.execute("INSERT INTO ccn_metrics (measured_at, item_hash, node_id) VALUES ('2040-02-10 00:00:00+00', 'h', "
          + "'n')");
    }

    // When
    final Result badPeriod = run(env, "partitions", "split-default", "--table", "ccn_metrics", "--period", "2040");
    final Result split = run(env, "partitions", "split-default", "--table", "ccn_metrics", "--period", "2040-02");
    final Result status = run(env, "partitions", "status", "--json");

    // Then
    assertThat(badPeriod.exit()).isEqualTo(2);
    assertThat(badPeriod.err()).contains("YYYY-MM");
    assertThat(split.exit()).isZero();
    assertThat(split.out()).contains("moved 1 rows out of DEFAULT");
    final JsonNode ccn = new ObjectMapper().readTree(status.out()).get("tables").findParents("table").stream()
        .filter(t -> t.get("table").asText().equals("ccn_metrics")).findFirst().orElseThrow();
    assertThat(ccn.get("default_rows").asLong()).isZero();
    assertThat(ccn.get("latest_partition").asText()).isEqualTo("ccn_metrics_2040_02");
  }

  private static Result run(final TestEnv env, final String... args) throws Exception {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--set", PipelineConfig.JDBC_URL + "=" + env.jdbcUrl(),
        "--set", PipelineConfig.JDBC_USER + "=" + env.config().getString(PipelineConfig.JDBC_USER),
        "--set", PipelineConfig.JDBC_PASSWORD + "=" + env.config().password(PipelineConfig.JDBC_PASSWORD),
        "--set", PipelineConfig.DATA_DIR + "=" + Files.createTempDirectory("cli-data")));
    final PrintStream out = System.out;
    final PrintStream err = System.err;
    final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      final int exit = Main.execute(all.toArray(String[]::new));
      return new Result(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private record Result(int exit, String out, String err) {
  }
}
