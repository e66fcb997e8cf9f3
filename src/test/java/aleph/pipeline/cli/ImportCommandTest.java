package aleph.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class ImportCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(final String... args) {
    final CommandLine cli = new CommandLine(new ImportCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path messages() throws Exception {
    final Path file = dir.resolve("messages.ndjson");
    Files.copy(getClass().getResourceAsStream("/messages/forget-flow.ndjson"), file);
    return file;
  }

  @Test
  void shouldFailWithOneLineWhenBrokerIsUnreachable() throws Exception {
    // Given: a port nobody listens on
    final int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    // When
    final int exit = run("--set", "bootstrap.servers=127.0.0.1:" + port, "--set", "data.dir=" + dir,
        "--timeout-ms", "1500", messages().toString());

    // Then
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString()
        .startsWith("error: Kafka broker at 127.0.0.1:" + port + " is unreachable");
  }

  @Test
  void shouldFailWithOneLineWhenNoBrokerIsConfiguredOrRunning() throws Exception {
    // When
    final int exit = run("--set", "data.dir=" + dir, messages().toString());

    // Then
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().lines()).singleElement().asString().startsWith("error: no Kafka broker");
  }

  @Test
  void shouldFailWhenFileDoesNotExist() {
    // When
    final int exit = run("--set", "data.dir=" + dir, dir.resolve("missing.json").toString());

    // Then
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: no such file: ");
  }

  @Test
  void shouldBeRegisteredOnTheRootCommandWhenCliIsBuilt() {
    // When
    final CommandLine root = new CommandLine(new Main());

    // Then
    assertThat(root.getSubcommands()).containsKey("import");
  }
}
