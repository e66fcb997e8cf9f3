package aleph.pipeline.db.partitions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code partition_maintenance_runs}: every run that held the lock, newest kept, oldest trimmed. */
public final class MaintenanceRunLog {

  /** Rows kept; a run an hour is six weeks of history. */
  static final int KEEP = 1000;

  public void record(final Connection c, final MaintenanceRun run) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO partition_maintenance_runs (trigger, instance, started_at, finished_at, outcome, created, "
            + "dropped, rows_moved, problems, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, run.trigger());
      ps.setString(2, run.instance());
      ps.setTimestamp(3, Timestamp.from(run.startedAt()));
      ps.setTimestamp(4, Timestamp.from(run.finishedAt()));
      ps.setString(5, run.outcome().label());
      ps.setArray(6, c.createArrayOf("text", run.created().toArray()));
      ps.setArray(7, c.createArrayOf("text", run.dropped().toArray()));
      ps.setLong(8, run.rowsMoved());
      ps.setArray(9, c.createArrayOf("text", run.problems().toArray()));
      ps.setArray(10, c.createArrayOf("text", run.warnings().toArray()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM partition_maintenance_runs WHERE id <= "
        + "(SELECT max(id) FROM partition_maintenance_runs) - ?")) {
      ps.setInt(1, KEEP);
      ps.executeUpdate();
    }
  }

  /** The most recently finished run of any instance. */
  public Optional<MaintenanceRun> latest(final Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT trigger, instance, started_at, finished_at, outcome, created, dropped, rows_moved, problems, warnings "
            + "FROM partition_maintenance_runs ORDER BY finished_at DESC, id DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new MaintenanceRun(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
          rs.getTimestamp(4).toInstant(), MaintenanceRun.Outcome.parse(rs.getString(5)), strings(rs.getArray(6)),
          strings(rs.getArray(7)), rs.getLong(8), strings(rs.getArray(9)), strings(rs.getArray(10))));
    }
  }

  private static List<String> strings(final Array array) throws SQLException {
    return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
  }
}
