package aleph.pipeline.db;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.postgresql.PGConnection;

import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;

/**
 * Bulk writes of metric rows with binary COPY, either straight into the partitioned parent (PostgreSQL routes
 * each row to its child) or into a per-session staging table that is then merged with
 * {@code ON CONFLICT DO NOTHING}. Input: metric records; output: rows written.
 */
public final class MetricCopy {

  static final String CRN_COLUMNS = "measured_at, item_hash, node_id, base_latency, base_latency_ipv4, "
      + "full_check_latency, diagnostic_vm_latency";
  static final String CCN_COLUMNS = "measured_at, item_hash, node_id, base_latency, base_latency_ipv4, "
      + "metrics_latency, aggregate_latency, file_download_latency, pending_messages, eth_height_remaining";

  private MetricCopy() {
  }

  /** COPY straight into {@code crn_metrics}; fails on a duplicate key. */
  public static long copyCrn(final Connection connection, final List<CrnMetric> rows)
      throws SQLException {
    return copy(connection, "crn_metrics", CRN_COLUMNS, encodeCrn(rows));
  }

  /** COPY straight into {@code ccn_metrics}; fails on a duplicate key. */
  public static long copyCcn(final Connection connection, final List<CcnMetric> rows)
      throws SQLException {
    return copy(connection, "ccn_metrics", CCN_COLUMNS, encodeCcn(rows));
  }

  /** COPY into a staging table, then insert what is not there yet; duplicates are skipped. */
  static long mergeCrn(final Connection connection, final List<CrnMetric> rows) throws SQLException {
    return merge(connection, "crn_metrics", CRN_COLUMNS, encodeCrn(rows));
  }

  static long mergeCcn(final Connection connection, final List<CcnMetric> rows) throws SQLException {
    return merge(connection, "ccn_metrics", CCN_COLUMNS, encodeCcn(rows));
  }

  private static long merge(final Connection connection, final String table, final String columns,
      final byte[] data) throws SQLException {
    final String stage = "sink_stage_" + table;
    try (var statement = connection.createStatement()) {
      // A temporary table lives as long as the session and empties itself at every commit or rollback.
      statement.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " ON COMMIT DELETE ROWS AS SELECT "
          + columns + " FROM " + table + " WITH NO DATA");
      statement.execute("TRUNCATE " + stage);
    }
    copy(connection, stage, columns, data);
    try (var statement = connection.createStatement()) {
      return statement.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM "
          + stage + " ON CONFLICT (item_hash, node_id, measured_at) DO NOTHING");
    }
  }

  private static long copy(final Connection connection, final String table, final String columns,
      final byte[] data) throws SQLException {
    try {
      return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
          "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)", new ByteArrayInputStream(data));
    } catch (IOException e) {
      throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), "08006", e);
    }
  }

  private static byte[] encodeCrn(final List<CrnMetric> rows) {
    final BinaryCopyEncoder encoder = new BinaryCopyEncoder(rows.size());
    for (CrnMetric row : rows) {
      encoder.startRow(7);
      encoder.timestamp(row.getMeasuredAt());
      encoder.text(row.getItemHash());
      encoder.text(row.getNodeId());
      encoder.float8(row.getBaseLatency());
      encoder.float8(row.getBaseLatencyIpv4());
      encoder.float8(row.getFullCheckLatency());
      encoder.float8(row.getDiagnosticVmLatency());
    }
    return encoder.finish();
  }

  private static byte[] encodeCcn(final List<CcnMetric> rows) {
    final BinaryCopyEncoder encoder = new BinaryCopyEncoder(rows.size());
    for (CcnMetric row : rows) {
      encoder.startRow(10);
      encoder.timestamp(row.getMeasuredAt());
      encoder.text(row.getItemHash());
      encoder.text(row.getNodeId());
      encoder.float8(row.getBaseLatency());
      encoder.float8(row.getBaseLatencyIpv4());
      encoder.float8(row.getMetricsLatency());
      encoder.float8(row.getAggregateLatency());
      encoder.float8(row.getFileDownloadLatency());
      encoder.int4(row.getPendingMessages());
      encoder.int4(row.getEthHeightRemaining());
    }
    return encoder.finish();
  }
}
