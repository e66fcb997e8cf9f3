package aleph.pipeline.db.partitions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The catalog reads and the DDL of partition maintenance, on a caller's connection (whose session time zone
 * is set to UTC by {@link #prepare}).
 *
 * <p>Locking. A child is created as a standalone table, which locks nothing, and then ATTACHed: PostgreSQL
 * takes SHARE UPDATE EXCLUSIVE on the parent (reads and writes go on), ACCESS EXCLUSIVE on the new child and
 * on the DEFAULT partition (scanned to prove it holds no row of the new range). Every change runs in its own
 * short transaction under {@code lock_timeout}, taking its locks up front in the order the sink takes them
 * (foreign-key targets such as {@code messages}, then the parent, then DEFAULT), so the maintainer can wait
 * behind the sink but never deadlock with it, and gives up (retrying next run) rather than queue writers
 * behind it for long. Attaching also takes SHARE ROW EXCLUSIVE on foreign-key targets ({@code messages} for
 * the metric tables), which is why those come first.
 *
 * <p>Retention uses plain {@code DETACH PARTITION} followed by {@code DROP TABLE} in one transaction, because
 * PostgreSQL refuses {@code DETACH ... CONCURRENTLY} on a table with a DEFAULT partition, which ours always
 * have. That transaction holds ACCESS EXCLUSIVE on the parent, on DEFAULT and (the drop removes the child's
 * foreign-key triggers) on the foreign-key target for the few milliseconds it takes, under {@code lock_timeout};
 * it runs once per expired period. A table without DEFAULT is detached CONCURRENTLY (SHARE UPDATE EXCLUSIVE on
 * the parent) and the child dropped afterwards; a half-done concurrent detach is completed with
 * {@code FINALIZE}.
 */
public final class PartitionCatalog {

  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Duration lockTimeout;

  public PartitionCatalog(final Duration lockTimeout) {
    this.lockTimeout = lockTimeout;
  }

  /** Session settings every maintenance connection needs: UTC, so bounds print and parse without offsets. */
  public static void prepare(final Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
    }
    connection.setAutoCommit(true);
  }

  /** Partitioned tables of the current schema that are not themselves partitions. */
  public List<String> partitionedTables(final Connection c) throws SQLException {
    final List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT relname FROM pg_class WHERE relkind = 'p' AND NOT relispartition "
            + "AND relnamespace = current_schema()::regnamespace ORDER BY relname");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The single range-partition key column of {@code parent}, or empty when it is not such a table. */
  public Optional<String> rangeKeyColumn(final Connection c, final String parent) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT a.attname FROM pg_partitioned_table p "
            + "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            + "WHERE p.partrelid = to_regclass(?) AND p.partstrat = 'r' AND p.partnatts = 1")) {
      ps.setString(1, parent);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Attached children with parsed bounds and row estimates, by name. */
  public List<ChildPartition> children(final Connection c, final String parent) throws SQLException {
    final List<ChildPartition> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint, i.inhdetachpending "
            + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            + "WHERE i.inhparent = to_regclass(?) ORDER BY c.relname")) {
      ps.setString(1, parent);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          final String bound = rs.getString(2);
          out.add(new ChildPartition(rs.getString(1), PartitionBoundParser.parse(bound), bound, rs.getLong(3),
              rs.getBoolean(4)));
        }
      }
    }
    return out;
  }

  /** Tables referenced by {@code parent}'s foreign keys (locked first by every change). */
  public List<String> foreignKeyTargets(final Connection c, final String parent) throws SQLException {
    final List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT DISTINCT confrelid::regclass::text FROM pg_constraint "
            + "WHERE conrelid = to_regclass(?) AND contype = 'f' ORDER BY 1")) {
      ps.setString(1, parent);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  public boolean relationExists(final Connection c, final String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Exact row count of one child (not its descendants). */
  public long countRows(final Connection c, final String child) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM ONLY " + ident(child))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Rows of {@code child} whose key falls in {@code range}. */
  public long countRowsIn(final Connection c, final String child, final String keyColumn, final PartitionRange range)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM ONLY " + ident(child) + " WHERE " + rangePredicate(keyColumn, range))) {
      bindRange(ps, 1, range);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The periods of {@code interval} in which {@code child} holds rows, oldest first. */
  public List<PartitionRange> periodsWithRows(final Connection c, final String child, final String keyColumn,
      final PartitionInterval interval) throws SQLException {
    final List<PartitionRange> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT date_trunc('" + interval + "', " + ident(keyColumn)
            + " AT TIME ZONE 'UTC') FROM ONLY " + ident(child) + " ORDER BY 1")) {
      while (rs.next()) {
        out.add(interval.periodOf(rs.getObject(1, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC)));
      }
    }
    return out;
  }

  /**
   * Creates {@code child} standalone with the parent's shape and attaches it for {@code range}, in one
   * transaction. When {@code defaultPartition} is given and {@code moveFromDefault} is set, the DEFAULT rows of
   * {@code range} are moved into the child first (copied, deleted from DEFAULT, then attached), which is what
   * lets a period be created at all once DEFAULT holds rows of it.
   *
   * @return rows moved out of DEFAULT (0 without {@code moveFromDefault})
   */
  public long createChild(final Connection c, final String parent, final String child, final PartitionRange range,
      final Optional<String> defaultPartition, final boolean moveFromDefault) throws SQLException {
    final String keyColumn = rangeKeyColumn(c, parent)
        .orElseThrow(() -> new SQLException(parent + " is not range-partitioned on one column"));
    final List<String> lockFirst = foreignKeyTargets(c, parent);
    return inTransaction(c, () -> {
      try (Statement s = c.createStatement()) {
        for (String target : lockFirst) {
          s.execute("LOCK TABLE " + target + " IN SHARE ROW EXCLUSIVE MODE");
        }
        s.execute("LOCK TABLE ONLY " + ident(parent) + " IN SHARE UPDATE EXCLUSIVE MODE");
        if (defaultPartition.isPresent()) {
          s.execute("LOCK TABLE " + ident(defaultPartition.get()) + " IN ACCESS EXCLUSIVE MODE");
        }
        s.execute("CREATE TABLE " + ident(child) + " (LIKE " + ident(parent)
            + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)");
      }
      long moved = 0;
      if (moveFromDefault && defaultPartition.isPresent()) {
        final String columns = String.join(", ", columns(c, parent).stream().map(PartitionCatalog::ident).toList());
        try (PreparedStatement copy = c.prepareStatement("INSERT INTO " + ident(child) + " (" + columns + ") SELECT "
            + columns + " FROM ONLY " + ident(defaultPartition.get()) + " WHERE " + rangePredicate(keyColumn, range));
            PreparedStatement delete = c.prepareStatement("DELETE FROM ONLY " + ident(defaultPartition.get())
                + " WHERE " + rangePredicate(keyColumn, range))) {
          bindRange(copy, 1, range);
          moved = copy.executeUpdate();
          bindRange(delete, 1, range);
          final long deleted = delete.executeUpdate();
          if (deleted != moved) {
            throw new SQLException("copied " + moved + " rows out of " + defaultPartition.get() + " but deleted "
                + deleted + "; rolled back");
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE " + ident(parent) + " ATTACH PARTITION " + ident(child) + " FOR VALUES FROM ("
            + literal(range.lower()) + ") TO (" + literal(range.upper()) + ")");
      }
      return moved;
    });
  }

  /**
   * Detaches {@code child} from {@code parent} and drops it. CONCURRENTLY when {@code concurrently} (the parent
   * has no DEFAULT partition; it cannot run inside a transaction, so the drop follows separately), otherwise
   * detach and drop in one transaction so a failure leaves the child attached.
   */
  public void detachAndDrop(final Connection c, final String parent, final String child, final boolean concurrently)
      throws SQLException {
    if (concurrently) {
      try (Statement s = c.createStatement()) {
        s.execute("SET lock_timeout = " + lockTimeout.toMillis());
        try {
          s.execute("ALTER TABLE " + ident(parent) + " DETACH PARTITION " + ident(child) + " CONCURRENTLY");
          s.execute("DROP TABLE " + ident(child));
        } finally {
          s.execute("RESET lock_timeout");
        }
      }
      return;
    }
    final List<String> lockFirst = foreignKeyTargets(c, parent);
    inTransaction(c, () -> {
      try (Statement s = c.createStatement()) {
        // DROP removes the detached child's foreign-key triggers on the referenced table, which takes ACCESS
        // EXCLUSIVE there; taking it first (and the parent next) keeps the sink's order and avoids an upgrade.
        for (String target : lockFirst) {
          s.execute("LOCK TABLE " + target + " IN ACCESS EXCLUSIVE MODE");
        }
        s.execute("LOCK TABLE ONLY " + ident(parent) + " IN ACCESS EXCLUSIVE MODE");
        s.execute("ALTER TABLE " + ident(parent) + " DETACH PARTITION " + ident(child));
        s.execute("DROP TABLE " + ident(child));
      }
      return null;
    });
  }

  /** Completes a {@code DETACH ... CONCURRENTLY} that was interrupted, then drops the child. */
  public void finalizeDetachAndDrop(final Connection c, final String parent, final String child) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("ALTER TABLE " + ident(parent) + " DETACH PARTITION " + ident(child) + " FINALIZE");
      s.execute("DROP TABLE " + ident(child));
    }
  }

  private List<String> columns(final Connection c, final String table) throws SQLException {
    final List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?) "
        + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private <T> T inTransaction(final Connection c, final SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL lock_timeout = " + lockTimeout.toMillis());
      }
      final T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static String rangePredicate(final String keyColumn, final PartitionRange range) {
    return ident(keyColumn) + " >= ? AND " + ident(keyColumn) + " < ?";
  }

  private static void bindRange(final PreparedStatement ps, final int first, final PartitionRange range)
      throws SQLException {
    ps.setObject(first, OffsetDateTime.ofInstant(range.lower(), ZoneOffset.UTC));
    ps.setObject(first + 1, OffsetDateTime.ofInstant(range.upper(), ZoneOffset.UTC));
  }

  /** A bound literal PostgreSQL reads the same in any session time zone. */
  static String literal(final Instant instant) {
    return "'" + LITERAL.format(instant) + "+00'";
  }

  static String ident(final String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }
}
