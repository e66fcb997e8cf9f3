package aleph.pipeline.cli;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.partitions.ConnectionSource;
import aleph.pipeline.db.partitions.MaintenanceRun;
import aleph.pipeline.db.partitions.PartitionMaintainer;
import aleph.pipeline.db.partitions.PartitionPlan;
import aleph.pipeline.db.partitions.PartitionStatusService;

/**
 * {@code aleph-pipeline partitions status|maintain|split-default}: the partition maintainer and its status
 * from a terminal, against the database of the running instance (or {@code jdbc.url}).
 */
@Command(name = "partitions", mixinStandardHelpOptions = true,
    description = "Show and maintain the range partitions of crn_metrics, ccn_metrics and credit_history.",
    subcommands = {
        PartitionsCommand.Status.class,
        PartitionsCommand.Maintain.class,
        PartitionsCommand.SplitDefault.class,
    })
public final class PartitionsCommand implements Callable<Integer> {

  /** Exit code when another instance held the maintenance lock. */
  static final int EXIT_BUSY = 3;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  private static int exitCode(final MaintenanceRun run) {
    return switch (run.outcome()) {
      case SUCCEEDED -> 0;
      case SKIPPED -> EXIT_BUSY;
      case DEGRADED, FAILED -> 1;
    };
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Children per partitioned table with bounds and row estimates, DEFAULT rows, the last run.")
  static final class Status implements Callable<Integer> {

    @ParentCommand
    PartitionsCommand parent;

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", description = "Print the JSON of GET /status/database instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      final PipelineConfig pipeline = config.loadForClient();
      final PartitionMaintainer maintainer = PartitionMaintainer.fromConfig(pipeline, Clock.systemUTC());
      final PartitionStatusService status =
          PartitionStatusService.of(maintainer, ConnectionSource.fromConfig(pipeline));
      parent.spec.commandLine().getOut().print(json ? status.statusJson() + "\n" : status.renderTable());
      parent.spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "maintain", mixinStandardHelpOptions = true,
      description = "Run the maintainer once now: create missing children, drop expired ones, report DEFAULT rows. "
          + "Exit 0 done, 1 problems (listed), 3 another instance is running it.")
  static final class Maintain implements Callable<Integer> {

    @ParentCommand
    PartitionsCommand parent;

    @Mixin
    ConfigOptions config;

    @Option(names = "--dry-run", description = "Print what a run would create and drop; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
      final PartitionMaintainer maintainer =
          PartitionMaintainer.fromConfig(config.loadForClient(), Clock.systemUTC());
      if (dryRun) {
        final var out = parent.spec.commandLine().getOut();
        for (PartitionPlan plan : maintainer.plan()) {
          out.println(plan.table() + (plan.isNoOp() ? ": nothing to do" : ":"));
          plan.creates().forEach(c -> out.println("  create " + c.name() + " " + c.range()));
          plan.drops().forEach(d -> out.println("  drop   " + d.name() + " " + d.range().orElseThrow()));
          plan.notes().forEach(note -> out.println("  note   " + note));
        }
        out.flush();
        return 0;
      }
      final MaintenanceRun run = maintainer.maintain("cli");
      parent.spec.commandLine().getOut().println(run.summary());
      parent.spec.commandLine().getOut().flush();
      return exitCode(run);
    }
  }

  @Command(name = "split-default", mixinStandardHelpOptions = true,
      description = "Move a table's DEFAULT-partition rows into new children (one transaction per period), so "
          + "those periods can exist. Exit codes as for maintain.")
  static final class SplitDefault implements Callable<Integer> {

    @ParentCommand
    PartitionsCommand parent;

    @Mixin
    ConfigOptions config;

    @Option(names = "--table", required = true, description = "Partitioned table, e.g. crn_metrics.")
    String table;

    @Option(names = "--period", paramLabel = "YYYY-MM[-DD]",
        description = "Only this period (YYYY-MM for monthly tables, YYYY-MM-DD for daily). Default: every period "
            + "holding DEFAULT rows that retention would not drop at once.")
    String period;

    @Override
    public Integer call() {
      final PartitionMaintainer maintainer =
          PartitionMaintainer.fromConfig(config.loadForClient(), Clock.systemUTC());
      final MaintenanceRun run = maintainer.splitDefault(table, Optional.ofNullable(period));
      parent.spec.commandLine().getOut().println(run.summary());
      parent.spec.commandLine().getOut().flush();
      return exitCode(run);
    }
  }
}
