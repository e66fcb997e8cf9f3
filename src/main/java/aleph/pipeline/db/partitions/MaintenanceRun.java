package aleph.pipeline.db.partitions;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one maintenance run: what it created, dropped and moved out of DEFAULT, what it could not do
 * ({@code problems}: the run is then {@link Outcome#DEGRADED}) and what an operator should look at
 * ({@code warnings}, e.g. rows in a DEFAULT partition).
 */
public record MaintenanceRun(String trigger, String instance, Instant startedAt, Instant finishedAt, Outcome outcome,
    List<String> created, List<String> dropped, long rowsMoved, List<String> problems, List<String> warnings) {

  public MaintenanceRun {
    created = List.copyOf(created);
    dropped = List.copyOf(dropped);
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  /** How a run ended. */
  public enum Outcome {
    /** Every table is as its policy asks. */
    SUCCEEDED,
    /** Some change failed or was blocked (see problems); everything else was done. */
    DEGRADED,
    /** The run could not work at all (e.g. no database); nothing was changed. */
    FAILED,
    /** Another instance held the maintenance lock; it does the work. */
    SKIPPED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome parse(final String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }

  /** One line for logs and the CLI. */
  public String summary() {
    final StringBuilder out = new StringBuilder(outcome.label()).append(" (").append(trigger).append(" on ")
        .append(instance).append(", ").append(startedAt).append("): created ").append(created.size())
        .append(", dropped ").append(dropped.size()).append(", moved ").append(rowsMoved)
        .append(" rows out of DEFAULT");
    problems.forEach(p -> out.append("\n  problem: ").append(p));
    warnings.forEach(w -> out.append("\n  warning: ").append(w));
    return out.toString();
  }
}
