package aleph.pipeline.cli;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import aleph.pipeline.runtime.PipelineRuntime;

/** {@code run}: the pipeline until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the pipeline (stream and sink) until interrupted; embedded broker/database/registry for "
        + "every connection not configured.")
public final class RunCommand implements Callable<Integer> {

  @Mixin
  ConfigOptions config;

  @Option(names = "--only", paramLabel = "stream|sink",
      description = "Run only one half: the Kafka Streams topology or the PostgreSQL sink.")
  PipelineRuntime.Part only;

  @Override
  public Integer call() throws InterruptedException {
    final var parts = only == null ? EnumSet.allOf(PipelineRuntime.Part.class) : EnumSet.of(only);
    final PipelineRuntime runtime = PipelineRuntime.start(config.load(), parts);
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("stopping...");
      runtime.close();
      stopped.countDown();
    }, "pipeline-stop"));
    printEndpoints(runtime.endpoints());
    stopped.await();
    return 0;
  }

  static void printEndpoints(final Map<String, String> endpoints) {
    System.out.println("aleph-pipeline is running (Ctrl-C to stop)");
    System.out.printf("  kafka     %s%n", endpoints.get("bootstrap.servers"));
    System.out.printf("  postgres  %s%n", endpoints.get("jdbc.url"));
    System.out.printf("  registry  %s%n", endpoints.get("schema.registry.url"));
    System.out.printf("  http      %s  (/healthz, /status, /status/database, /metrics)%n", endpoints.get("http"));
  }
}
