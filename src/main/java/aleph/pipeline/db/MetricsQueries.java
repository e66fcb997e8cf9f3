package aleph.pipeline.db;

import static aleph.pipeline.db.generated.Tables.CCN_METRICS;
import static aleph.pipeline.db.generated.Tables.CRN_METRICS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;

/**
 * The reference node's metrics read model (DOMAIN 2.8): one node's rows in a time window, ordered by
 * measured_at, column-oriented (one list per column, aligned by row). node_id and id are not exposed.
 */
public final class MetricsQueries {

  /** Which metrics table: compute resource nodes or core channel nodes. */
  public enum NodeKind { CRN, CCN }

  private final DataSource dataSource;

  public MetricsQueries(final DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * @param from inclusive lower bound
   * @param to inclusive upper bound, or null for none
   * @return column name → values; empty when no row matches
   */
  public Map<String, List<Object>> columns(final NodeKind kind, final String nodeId, final Instant from,
      final Instant to, final boolean ascending) {
    final Table<?> table = kind == NodeKind.CRN ? CRN_METRICS : CCN_METRICS;
    final List<Field<?>> fields = kind == NodeKind.CRN
        ? List.of(CRN_METRICS.ITEM_HASH, CRN_METRICS.MEASURED_AT, CRN_METRICS.BASE_LATENCY,
            CRN_METRICS.BASE_LATENCY_IPV4, CRN_METRICS.FULL_CHECK_LATENCY, CRN_METRICS.DIAGNOSTIC_VM_LATENCY)
        : List.of(CCN_METRICS.ITEM_HASH, CCN_METRICS.MEASURED_AT, CCN_METRICS.BASE_LATENCY,
            CCN_METRICS.BASE_LATENCY_IPV4, CCN_METRICS.METRICS_LATENCY, CCN_METRICS.AGGREGATE_LATENCY,
            CCN_METRICS.FILE_DOWNLOAD_LATENCY, CCN_METRICS.PENDING_MESSAGES, CCN_METRICS.ETH_HEIGHT_REMAINING);
    final TableField<?, String> node = kind == NodeKind.CRN ? CRN_METRICS.NODE_ID : CCN_METRICS.NODE_ID;
    final TableField<?, OffsetDateTime> measuredAt = kind == NodeKind.CRN ? CRN_METRICS.MEASURED_AT
        : CCN_METRICS.MEASURED_AT;
    Condition where = node.eq(nodeId).and(measuredAt.ge(OffsetDateTime.ofInstant(from, ZoneOffset.UTC)));
    if (to != null) {
      where = where.and(measuredAt.le(OffsetDateTime.ofInstant(to, ZoneOffset.UTC)));
    }
    final SortField<OffsetDateTime> order = ascending ? measuredAt.asc() : measuredAt.desc();
    final Map<String, List<Object>> columns = new LinkedHashMap<>();
    for (Record r : DSL.using(dataSource, SQLDialect.POSTGRES).select(fields).from(table).where(where)
        .orderBy(order).fetch()) {
      for (Field<?> f : fields) {
        Object value = r.get(f);
        if (value instanceof OffsetDateTime t) {
          value = t.toEpochSecond() + t.getNano() / 1e9;
        }
        columns.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(value);
      }
    }
    return columns;
  }
}
