package aleph.pipeline.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.demo.DemoRunner;
import aleph.pipeline.embedded.EmbeddedPostgres;
import aleph.pipeline.runtime.InstanceFile;
import aleph.pipeline.runtime.PipelineRuntime;

/** {@code demo}: the whole pipeline on sample (or the user's) messages, then a summary. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the pipeline (embedded by default), push a realistic sample stream (or --input FILE) "
        + "through it, wait until it has landed in PostgreSQL and print a summary.")
public final class DemoCommand implements Callable<Integer> {

  @Mixin
  ConfigOptions config;

  @Option(names = "--input", paramLabel = "FILE",
      description = "Aleph messages to use instead of generated ones: a JSON array, NDJSON, or an API page "
          + "({\"messages\": [...]}).")
  Path input;

  @Option(names = "--follow", description = "Keep the pipeline running after the summary (Ctrl-C to stop).")
  boolean follow;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "How long to wait for the messages to land (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PipelineConfig cfg = config.load();
    // Every demo starts from a clean slate of its own, beside (not inside) a `run` instance's data.
    final Path demoDir = Path.of(cfg.getString(PipelineConfig.DATA_DIR), "demo");
    if (InstanceFile.read(demoDir).isPresent()) {
      throw new IllegalArgumentException("a demo --follow is already running on " + demoDir + "; stop it first");
    }
    EmbeddedPostgres.deleteRecursively(demoDir);
    cfg = cfg.with(Map.of(PipelineConfig.DATA_DIR, demoDir.toString()));
    if (cfg.originals().get(PipelineConfig.HTTP_PORT) == null && !follow) {
      cfg = cfg.with(Map.of(PipelineConfig.HTTP_PORT, 0));
    }
    final List<List<AlephMessage>> phases = input == null ? DemoRunner.sample(cfg) : List.of(DemoInput.read(input));
    System.out.println("starting the pipeline...");
    final PipelineRuntime runtime = PipelineRuntime.start(cfg);
    final CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C at any point stops the broker and database in order instead of leaving them behind.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.close();
      stopped.countDown();
    }, "demo-stop"));
    try {
      final DemoRunner demo = new DemoRunner(runtime, System.out);
      final boolean landed = demo.publishInPhases(phases, input == null, Duration.ofSeconds(timeoutSeconds));
      demo.printSummary();
      if (follow) {
        RunCommand.printEndpoints(runtime.endpoints());
        stopped.await();
      }
      return landed ? 0 : 1;
    } finally {
      runtime.close();
    }
  }
}
