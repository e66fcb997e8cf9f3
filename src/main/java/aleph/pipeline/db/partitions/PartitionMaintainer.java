package aleph.pipeline.db.partitions;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.partitions.MaintenanceRun.Outcome;
import aleph.pipeline.db.partitions.PartitionPlan.PlannedChild;

/**
 * Keeps every partitioned table as its {@link PartitionPolicy} asks: creates the missing children of the
 * window (see {@link PartitionPlanner}), drops the expired ones, reports DEFAULT rows and, when allowed, moves
 * DEFAULT rows of a period into that period's new child so it can be created at all.
 *
 * <p>Input: a {@link ConnectionSource}, the policies, whether to split DEFAULT, a clock ("now"). Output: a
 * {@link MaintenanceRun}, also written to {@code partition_maintenance_runs} and kept as {@link #lastAttempt()}.
 * Runs on several instances at once are safe: a run first takes a session-level advisory lock
 * ({@link #ADVISORY_LOCK_KEY}) and is skipped when another session holds it. Each change is its own short
 * transaction, so one failing change (logged with its reason, retried next run) never undoes the others.
 */
public final class PartitionMaintainer {

  /** {@code pg_try_advisory_lock} key shared by every instance and the CLI ("aleph" "pm" in ASCII). */
  public static final long ADVISORY_LOCK_KEY = 0x616c_6570_6870_6dL;
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintainer.class);

  private final ConnectionSource db;
  private final List<PartitionPolicy> policies;
  private final boolean splitDefault;
  private final Clock clock;
  private final String instance;
  private final PartitionCatalog catalog;
  private final MaintenanceRunLog runLog = new MaintenanceRunLog();
  private final AtomicReference<MaintenanceRun> lastAttempt = new AtomicReference<>();

  public PartitionMaintainer(final ConnectionSource db, final List<PartitionPolicy> policies,
      final boolean splitDefault, final Clock clock, final String instance, final Duration lockTimeout) {
    this.db = db;
    this.policies = List.copyOf(policies);
    this.splitDefault = splitDefault;
    this.clock = clock;
    this.instance = instance;
    this.catalog = new PartitionCatalog(lockTimeout);
  }

  /** The maintainer the runtime and the CLI use: database, policies and split switch from {@code config}. */
  public static PartitionMaintainer fromConfig(final PipelineConfig config, final Clock clock) {
    return new PartitionMaintainer(ConnectionSource.fromConfig(config), PartitionPolicy.fromConfig(config),
        config.getBoolean(PipelineConfig.PARTITIONS_SPLIT_DEFAULT), clock, defaultInstanceName(),
        DEFAULT_LOCK_TIMEOUT);
  }

  public List<PartitionPolicy> policies() {
    return policies;
  }

  public Clock clock() {
    return clock;
  }

  /** This instance's most recent attempt, including skipped and failed ones the database could not record. */
  public Optional<MaintenanceRun> lastAttempt() {
    return Optional.ofNullable(lastAttempt.get());
  }

  /** One maintenance run over every table; never throws. {@code trigger}: startup, schedule or cli. */
  public MaintenanceRun maintain(final String trigger) {
    final Instant started = clock.instant();
    final Accumulator acc = new Accumulator();
    MaintenanceRun run;
    try (Connection c = db.open()) {
      PartitionCatalog.prepare(c);
      if (!tryLock(c)) {
        run = acc.finish(trigger, started, Outcome.SKIPPED);
        LOG.info("Partition maintenance skipped: another instance holds the maintenance lock");
      } else {
        try {
          for (PartitionPolicy policy : policies) {
            try {
              maintainTable(c, policy, started, acc);
            } catch (SQLException | RuntimeException e) {
              // One table failing must not cost the other tables their maintenance.
              acc.problems.add(policy.table() + ": " + reason(e));
            }
          }
          run = acc.finish(trigger, started, acc.problems.isEmpty() ? Outcome.SUCCEEDED : Outcome.DEGRADED);
          record(c, run);
        } finally {
          unlock(c);
        }
      }
    } catch (SQLException | RuntimeException e) {
      acc.problems.add("run failed: " + reason(e));
      run = acc.finish(trigger, started, Outcome.FAILED);
    }
    log(run);
    lastAttempt.set(run);
    return run;
  }

  /** What a run would do now, per table, without taking the lock or changing anything ({@code --dry-run}). */
  public List<PartitionPlan> plan() throws SQLException {
    final Instant now = clock.instant();
    final List<PartitionPlan> plans = new ArrayList<>();
    try (Connection c = db.open()) {
      PartitionCatalog.prepare(c);
      for (PartitionPolicy policy : policies) {
        plans.add(PartitionPlanner.plan(policy, catalog.children(c, policy.table()), now));
      }
    }
    return plans;
  }

  /**
   * Moves the DEFAULT rows of {@code table} into new children: of {@code period} only, or (empty) of every
   * period holding DEFAULT rows that retention would not drop at once. Takes the maintenance lock; returns a
   * run whose {@code created} lists the new children.
   */
  public MaintenanceRun splitDefault(final String table, final Optional<String> period) {
    final PartitionPolicy policy = policies.stream().filter(p -> p.table().equals(table)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown partitioned table '" + table + "'; known: "
            + policies.stream().map(PartitionPolicy::table).toList()));
    final Optional<PartitionRange> only = period.map(policy.interval()::parsePeriod);
    final Instant started = clock.instant();
    final Accumulator acc = new Accumulator();
    MaintenanceRun run;
    try (Connection c = db.open()) {
      PartitionCatalog.prepare(c);
      if (!tryLock(c)) {
        acc.problems.add("another instance holds the maintenance lock; try again");
        run = acc.finish("cli split-default", started, Outcome.SKIPPED);
      } else {
        try {
          splitTable(c, policy, only, started, acc);
          run = acc.finish("cli split-default", started,
              acc.problems.isEmpty() ? Outcome.SUCCEEDED : Outcome.DEGRADED);
          record(c, run);
        } finally {
          unlock(c);
        }
      }
    } catch (SQLException | RuntimeException e) {
      acc.problems.add("split failed: " + reason(e));
      run = acc.finish("cli split-default", started, Outcome.FAILED);
    }
    log(run);
    lastAttempt.set(run);
    return run;
  }

  private void maintainTable(final Connection c, final PartitionPolicy policy, final Instant now,
      final Accumulator acc) throws SQLException {
    final String table = policy.table();
    final Optional<String> key = catalog.rangeKeyColumn(c, table);
    if (key.isEmpty()) {
      acc.problems.add(table + " is not a table range-partitioned on one column; skipped");
      return;
    }
    final List<ChildPartition> children = catalog.children(c, table);
    final Optional<String> defaultChild = children.stream().filter(ChildPartition::isDefault)
        .map(ChildPartition::name).findFirst();
    finishHalfDetached(c, policy, now, children, acc);

    final PartitionPlan plan = PartitionPlanner.plan(policy, children, now);
    plan.notes().forEach(note -> LOG.info("Partition maintenance: {}", note));
    for (ChildPartition expired : plan.drops()) {
      if (expired.detachPending()) {
        continue;
      }
      try {
        catalog.detachAndDrop(c, table, expired.name(), defaultChild.isEmpty());
        acc.dropped.add(expired.name());
      } catch (SQLException e) {
        acc.problems.add("could not drop expired " + expired.name() + ": " + reason(e));
      }
    }

    long defaultRows = defaultChild.isPresent() ? catalog.countRows(c, defaultChild.get()) : 0;
    for (PlannedChild child : plan.creates()) {
      try {
        if (catalog.relationExists(c, child.name())) {
          acc.problems.add("a table named " + child.name() + " exists but is not a partition of " + table
              + "; period " + child.range() + " left to DEFAULT");
          continue;
        }
        final long blocking = defaultRows > 0
            ? catalog.countRowsIn(c, defaultChild.get(), key.get(), child.range()) : 0;
        if (blocking > 0 && !splitDefault) {
          acc.problems.add("DEFAULT partition " + defaultChild.get() + " holds " + blocking + " rows of "
              + child.range() + ", so " + child.name() + " cannot be created; run `aleph-pipeline partitions "
              + "split-default --table " + table + " --period " + periodArgument(policy, child.range()) + "` or set "
              + PipelineConfig.PARTITIONS_SPLIT_DEFAULT + "=true");
          continue;
        }
        final long moved = catalog.createChild(c, table, child.name(), child.range(), defaultChild, blocking > 0);
        acc.created.add(child.name());
        acc.rowsMoved += moved;
        defaultRows -= moved;
        if (moved > 0) {
          LOG.info("Moved {} rows of {} out of {} into {}", moved, child.range(), defaultChild.get(), child.name());
        }
      } catch (SQLException e) {
        acc.problems.add("could not create " + child.name() + ": " + reason(e));
      }
    }
    warnAboutDefault(c, defaultChild, acc);
  }

  private void splitTable(final Connection c, final PartitionPolicy policy, final Optional<PartitionRange> only,
      final Instant now, final Accumulator acc) throws SQLException {
    final String table = policy.table();
    final String key = catalog.rangeKeyColumn(c, table)
        .orElseThrow(() -> new IllegalArgumentException(table + " is not range-partitioned on one column"));
    final List<ChildPartition> children = catalog.children(c, table);
    final Optional<String> defaultChild = children.stream().filter(ChildPartition::isDefault)
        .map(ChildPartition::name).findFirst();
    if (defaultChild.isEmpty()) {
      acc.problems.add(table + " has no DEFAULT partition; nothing to split");
      return;
    }
    final List<PartitionRange> periods = only.isPresent()
        ? List.of(only.get())
        : catalog.periodsWithRows(c, defaultChild.get(), key, policy.interval());
    final Optional<Instant> cutoff = policy.cutoff(now);
    for (PartitionRange period : periods) {
      final String name = policy.interval().childName(table, period.lower());
      final List<String> overlapping = children.stream()
          .filter(ch -> ch.range().isPresent() && ch.range().get().overlaps(period)).map(ChildPartition::name).toList();
      if (!overlapping.isEmpty()) {
        acc.problems.add("period " + period + " overlaps " + overlapping + "; DEFAULT rows of it stay (the table's "
            + "interval was changed: pick a period of the other interval)");
        continue;
      }
      if (only.isEmpty() && cutoff.isPresent() && period.endsAtOrBefore(cutoff.get())) {
        acc.warnings.add("DEFAULT rows of " + period + " are older than the retention cutoff " + cutoff.get()
            + "; not split (retention would drop the child at once); split with --period to keep them");
        continue;
      }
      if (catalog.relationExists(c, name)) {
        acc.problems.add("a table named " + name + " exists but is not a partition of " + table);
        continue;
      }
      try {
        final long moved = catalog.createChild(c, table, name, period, defaultChild, true);
        acc.created.add(name);
        acc.rowsMoved += moved;
      } catch (SQLException e) {
        acc.problems.add("could not split " + period + " out of " + defaultChild.get() + ": " + reason(e));
      }
    }
    warnAboutDefault(c, defaultChild, acc);
  }

  private void finishHalfDetached(final Connection c, final PartitionPolicy policy, final Instant now,
      final List<ChildPartition> children, final Accumulator acc) {
    for (ChildPartition child : children) {
      if (!child.detachPending()) {
        continue;
      }
      final boolean expired = child.range().isPresent() && policy.cutoff(now).isPresent()
          && child.range().get().endsAtOrBefore(policy.cutoff(now).get());
      if (!expired) {
        acc.problems.add(child.name() + " is half-detached but not expired; finish or undo it by hand");
        continue;
      }
      try {
        catalog.finalizeDetachAndDrop(c, policy.table(), child.name());
        acc.dropped.add(child.name());
      } catch (SQLException e) {
        acc.problems.add("could not finish detaching " + child.name() + ": " + reason(e));
      }
    }
  }

  private void warnAboutDefault(final Connection c, final Optional<String> defaultChild, final Accumulator acc)
      throws SQLException {
    if (defaultChild.isEmpty()) {
      return;
    }
    final long rows = catalog.countRows(c, defaultChild.get());
    if (rows > 0) {
      final String warning = "DEFAULT partition " + defaultChild.get() + " holds " + rows + " rows outside every "
          + "child's range; see `aleph-pipeline partitions status` and `partitions split-default`";
      LOG.warn(warning);
      acc.warnings.add(warning);
    }
  }

  private void record(final Connection c, final MaintenanceRun run) {
    try {
      runLog.record(c, run);
    } catch (SQLException e) {
      LOG.warn("Could not record the partition maintenance run: {}", reason(e));
    }
  }

  private static void log(final MaintenanceRun run) {
    switch (run.outcome()) {
      case SUCCEEDED -> LOG.info("Partition maintenance {}", run.summary());
      case SKIPPED -> LOG.debug("Partition maintenance {}", run.summary());
      case DEGRADED -> LOG.warn("Partition maintenance {}", run.summary());
      case FAILED -> LOG.error("Partition maintenance {}; retried on the next run", run.summary());
      default -> throw new IllegalStateException(run.outcome().name());
    }
  }

  private static boolean tryLock(final Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, ADVISORY_LOCK_KEY);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private static void unlock(final Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, ADVISORY_LOCK_KEY);
      ps.execute();
    } catch (SQLException e) {
      // Closing the connection releases a session-level advisory lock anyway.
      LOG.debug("Could not release the maintenance lock explicitly: {}", reason(e));
    }
  }

  static String periodArgument(final PartitionPolicy policy, final PartitionRange range) {
    final String day = range.lower().toString().substring(0, 10);
    return policy.interval() == PartitionInterval.MONTH ? day.substring(0, 7) : day;
  }

  static String reason(final Throwable e) {
    final String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ").trim();
  }

  private static String defaultInstanceName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid();
  }

  private final class Accumulator {
    final List<String> created = new ArrayList<>();
    final List<String> dropped = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    long rowsMoved;

    MaintenanceRun finish(final String trigger, final Instant started, final Outcome outcome) {
      return new MaintenanceRun(trigger, instance, started, clock.instant(), outcome, created, dropped, rowsMoved,
          problems, warnings);
    }
  }
}
