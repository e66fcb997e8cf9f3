package aleph.pipeline.db.partitions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the partition state of every partitioned table and the last maintenance run, for
 * {@code partitions status} ({@link #renderTable()}) and {@code GET /status/database} ({@link #statusJson()}).
 *
 * <p>The JSON keeps the request-metrics design's flat keys per table ({@code latest_<table>_partition_table_name},
 * {@code total_<table>_partitions}) and adds {@code tables} (per table: policy, children with bounds and row
 * estimates, DEFAULT rows, coverage, gaps) and {@code maintenance} (last recorded run of any instance, and this
 * instance's last attempt).
 */
public final class PartitionStatusService {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConnectionSource db;
  private final List<PartitionPolicy> policies;
  private final Clock clock;
  private final Supplier<Optional<MaintenanceRun>> localAttempt;
  private final PartitionCatalog catalog = new PartitionCatalog(PartitionMaintainer.DEFAULT_LOCK_TIMEOUT);
  private final MaintenanceRunLog runLog = new MaintenanceRunLog();

  public PartitionStatusService(final ConnectionSource db, final List<PartitionPolicy> policies, final Clock clock,
      final Supplier<Optional<MaintenanceRun>> localAttempt) {
    this.db = db;
    this.policies = List.copyOf(policies);
    this.clock = clock;
    this.localAttempt = localAttempt;
  }

  /** Status next to a running maintainer: its policies, clock and last attempt. */
  public static PartitionStatusService of(final PartitionMaintainer maintainer, final ConnectionSource db) {
    return new PartitionStatusService(db, maintainer.policies(), maintainer.clock(), maintainer::lastAttempt);
  }

  /** The database's partition state and the last recorded run. */
  public DatabaseStatus status() throws SQLException {
    final Instant now = clock.instant();
    try (Connection c = db.open()) {
      PartitionCatalog.prepare(c);
      final List<PartitionStatus> tables = new ArrayList<>();
      for (String table : catalog.partitionedTables(c)) {
        final Optional<String> key = catalog.rangeKeyColumn(c, table);
        if (key.isPresent()) {
          tables.add(tableStatus(c, table, key.get(), now));
        }
      }
      return new DatabaseStatus(now, tables, runLog.latest(c), localAttempt.get());
    }
  }

  /** {@link #status()} as the body of {@code /status/database}; an unreachable database is reported, not thrown. */
  public String statusJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(statusNode());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public ObjectNode statusNode() {
    final ObjectNode root = JSON.createObjectNode();
    final DatabaseStatus status;
    try {
      status = status();
    } catch (SQLException | RuntimeException e) {
      root.put("database_reachable", false);
      root.put("error", PartitionMaintainer.reason(e));
      localAttempt.get().ifPresent(run -> root.putObject("maintenance").set("this_instance_last_attempt", run(run)));
      return root;
    }
    root.put("database_reachable", true);
    root.put("as_of", status.asOf().toString());
    for (PartitionStatus table : status.tables()) {
      root.put("latest_" + table.table() + "_partition_table_name",
          table.latestChild().map(ChildPartition::name).orElse(null));
      root.put("total_" + table.table() + "_partitions", table.totalPartitions());
    }
    final ArrayNode tables = root.putArray("tables");
    for (PartitionStatus table : status.tables()) {
      final ObjectNode node = tables.addObject();
      node.put("table", table.table());
      node.put("partition_key", table.keyColumn());
      table.policy().ifPresent(p -> {
        node.put("interval", p.interval().toString());
        node.put("lookahead", p.lookahead());
        node.put("retention", p.retentionText());
      });
      node.put("latest_partition", table.latestChild().map(ChildPartition::name).orElse(null));
      node.put("total_partitions", table.totalPartitions());
      node.put("default_partition", table.defaultPartition().orElse(null));
      node.put("default_rows", table.defaultRows());
      node.put("covered_until", table.coveredUntil().map(Instant::toString).orElse(null));
      final ArrayNode gaps = node.putArray("gaps");
      table.gaps().forEach(g -> gaps.addObject().put("from", text(g.lower())).put("to", text(g.upper())));
      final ArrayNode children = node.putArray("partitions");
      for (ChildPartition child : table.children()) {
        final ObjectNode c = children.addObject();
        c.put("name", child.name());
        if (child.isDefault()) {
          c.put("default", true);
          c.put("rows", table.defaultRows());
        } else {
          c.put("from", child.range().map(r -> text(r.lower())).orElse(null));
          c.put("to", child.range().map(r -> text(r.upper())).orElse(null));
          if (child.rowEstimate() >= 0) {
            c.put("row_estimate", child.rowEstimate());
          } else {
            c.putNull("row_estimate");
          }
        }
        if (child.detachPending()) {
          c.put("detach_pending", true);
        }
      }
    }
    final ObjectNode maintenance = root.putObject("maintenance");
    maintenance.set("last_run", status.lastRun().map(PartitionStatusService::run).orElse(null));
    maintenance.set("this_instance_last_attempt", status.lastAttempt().map(PartitionStatusService::run).orElse(null));
    return root;
  }

  /** The human table of {@code aleph-pipeline partitions status}. */
  public String renderTable() throws SQLException {
    final DatabaseStatus status = status();
    final StringBuilder out = new StringBuilder();
    for (PartitionStatus table : status.tables()) {
      out.append(table.table()).append("  RANGE (").append(table.keyColumn()).append(')');
      table.policy().ifPresentOrElse(
          p -> out.append("  every ").append(p.interval()).append(", lookahead ").append(p.lookahead())
              .append(", retention ").append(p.retentionText()),
          () -> out.append("  (not maintained)"));
      out.append('\n');
      out.append("  latest ").append(table.latestChild().map(ChildPartition::name).orElse("-"))
          .append(", ").append(table.totalPartitions()).append(" partitions, DEFAULT rows ")
          .append(table.defaultRows()).append(", covered until ")
          .append(table.coveredUntil().map(Instant::toString).orElse("NOT COVERED NOW")).append('\n');
      table.gaps().forEach(g -> out.append("  gap ").append(g).append('\n'));
      out.append(String.format("  %-32s %-22s %-22s %12s%n", "PARTITION", "FROM", "TO", "ROWS"));
      for (ChildPartition child : table.children()) {
        final String rows = child.isDefault() ? Long.toString(table.defaultRows())
            : child.rowEstimate() < 0 ? "?" : "~" + child.rowEstimate();
        final String name = child.name() + (child.detachPending() ? " (detaching)" : "");
        out.append(String.format("  %-32s %-22s %-22s %12s%n", name,
            child.isDefault() ? "DEFAULT" : child.range().map(r -> text(r.lower())).orElse("?"),
            child.isDefault() ? "" : child.range().map(r -> text(r.upper())).orElse("?"), rows));
      }
      out.append('\n');
    }
    out.append("last run: ").append(status.lastRun().map(MaintenanceRun::summary).orElse("never")).append('\n');
    return out.toString();
  }

  private PartitionStatus tableStatus(final Connection c, final String table, final String key, final Instant now)
      throws SQLException {
    final List<ChildPartition> children = catalog.children(c, table);
    final Optional<String> defaultChild = children.stream().filter(ChildPartition::isDefault)
        .map(ChildPartition::name).findFirst();
    final long defaultRows = defaultChild.isPresent() ? catalog.countRows(c, defaultChild.get()) : 0;
    final List<PartitionRange> ranges = children.stream().filter(ch -> ch.range().isPresent() && !ch.detachPending())
        .map(ch -> ch.range().get())
        .sorted(Comparator.comparing(PartitionRange::lower, Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
    final Optional<ChildPartition> latest = children.stream().filter(ch -> ch.range().isPresent())
        .max(Comparator.comparing((ChildPartition ch) -> ch.range().get().upper(),
            Comparator.nullsLast(Comparator.naturalOrder())));
    return new PartitionStatus(table, key, policies.stream().filter(p -> p.table().equals(table)).findFirst(),
        children, latest, children.size(), defaultChild, defaultRows, coveredUntil(ranges, now), gaps(ranges));
  }

  static Optional<Instant> coveredUntil(final List<PartitionRange> sorted, final Instant now) {
    Instant reach = null;
    for (PartitionRange range : sorted) {
      final boolean extending = reach == null ? range.contains(now) : reach.equals(range.lower());
      if (extending) {
        if (range.upper() == null) {
          return Optional.of(Instant.MAX);
        }
        reach = range.upper();
      }
    }
    return Optional.ofNullable(reach);
  }

  static List<PartitionRange> gaps(final List<PartitionRange> sorted) {
    final List<PartitionRange> out = new ArrayList<>();
    for (int i = 1; i < sorted.size(); i++) {
      final Instant end = sorted.get(i - 1).upper();
      final Instant next = sorted.get(i).lower();
      if (end != null && next != null && next.isAfter(end)) {
        out.add(new PartitionRange(end, next));
      }
    }
    return out;
  }

  private static ObjectNode run(final MaintenanceRun run) {
    final ObjectNode node = JSON.createObjectNode();
    node.put("outcome", run.outcome().label());
    node.put("trigger", run.trigger());
    node.put("instance", run.instance());
    node.put("started_at", run.startedAt().toString());
    node.put("finished_at", run.finishedAt().toString());
    node.put("duration_ms", Duration.between(run.startedAt(), run.finishedAt()).toMillis());
    final ArrayNode created = node.putArray("created");
    run.created().forEach(created::add);
    final ArrayNode dropped = node.putArray("dropped");
    run.dropped().forEach(dropped::add);
    node.put("rows_moved_out_of_default", run.rowsMoved());
    final ArrayNode problems = node.putArray("problems");
    run.problems().forEach(problems::add);
    final ArrayNode warnings = node.putArray("warnings");
    run.warnings().forEach(warnings::add);
    return node;
  }

  private static String text(final Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** Everything {@code partitions status} shows, as of {@code asOf}. */
  public record DatabaseStatus(Instant asOf, List<PartitionStatus> tables, Optional<MaintenanceRun> lastRun,
      Optional<MaintenanceRun> lastAttempt) {
  }
}
