package aleph.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir
  Path dir;

  @Test
  void shouldFailWithOneLineNamingAnUnknownKey() {
    // When
    final Result result = run("topics", "describe", "--set", "scoring.chanel=x");

    // Then
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().strip()).isEqualTo(
        "error: unknown configuration key 'scoring.chanel' (see README.md, Configuration)");
  }

  @Test
  void shouldFailWithOneLineNamingAMalformedValue() {
    // When
    final Result result = run("migrate", "--set", "http.port=eighty");

    // Then
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().strip()).startsWith("error: ").contains("http.port").doesNotContain("\n");
  }

  @Test
  void shouldExplainThatAClientCommandNeedsABrokerWhenNoneIsRunning() {
    // When
    final Result result = run("topics", "create", "--set", "data.dir=" + dir);

    // Then
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().strip())
        .isEqualTo("error: no broker: set bootstrap.servers, or start `aleph-pipeline run` on this data.dir");
  }

  @Test
  void shouldListTheCommandsInUsage() {
    // When
    final Result result = run("--help");

    // Then
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("run", "demo", "migrate", "topics", "topology", "balance");
  }

  private static Result run(final String... args) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final PrintStream originalOut = System.out;
    final PrintStream originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      final int code = Main.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private record Result(int exitCode, String out, String err) {
  }
}
