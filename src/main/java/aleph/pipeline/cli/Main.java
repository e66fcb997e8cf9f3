package aleph.pipeline.cli;

import java.util.concurrent.Callable;

import org.apache.kafka.common.config.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aleph-pipeline} command line. */
@Command(name = "aleph-pipeline", mixinStandardHelpOptions = true, version = "aleph-pipeline 0.1.0",
    description = "Turns the Aleph message stream into queryable state: Kafka Streams in, PostgreSQL out.",
    subcommands = {
        CommandLine.HelpCommand.class,
        RunCommand.class,
        DemoCommand.class,
        MigrateCommand.class,
        TopicsCommand.class,
        TopologyCommand.class,
        BalanceCommand.class,
        PartitionsCommand.class,
        ImportCommand.class,
    })
public final class Main implements Callable<Integer> {

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  /** Runs the command line and returns the exit code; one-line errors for bad configuration. */
  public static int execute(final String... args) {
    final CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
        commandLine.getErr().println("error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }
}
