package aleph.pipeline.cli;

import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.DatabaseSummary;

/** {@code balance <address>}: the address's current credit buckets as the sink last wrote them. */
@Command(name = "balance", mixinStandardHelpOptions = true,
    description = "Show an address's credit balance: total and buckets by expiration (from credit_balances).")
public final class BalanceCommand implements Callable<Integer> {

  @Mixin
  ConfigOptions config;

  @Parameters(paramLabel = "ADDRESS", description = "The address (exact, case-sensitive).")
  String address;

  @Override
  public Integer call() {
    final PipelineConfig cfg = config.loadForClient();
    if (cfg.embeddedDatabase()) {
      throw new IllegalArgumentException("no database: set jdbc.url, or start `aleph-pipeline run` on this data.dir");
    }
    try (DatabaseSummary db = new DatabaseSummary(cfg)) {
      final var buckets = db.buckets(address);
      final long total = buckets.stream().mapToLong(b -> b.getValue()).sum();
      System.out.printf("%s  %,d credits%n", address, total);
      buckets.forEach(b -> System.out.printf("  %-26s %,16d%n",
          b.getKey() == null ? "never expires" : "expires " + DateTimeFormatter.ISO_INSTANT.format(b.getKey()),
          b.getValue()));
    }
    return 0;
  }
}
