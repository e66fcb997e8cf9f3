package aleph.pipeline.db;

import static aleph.pipeline.db.generated.Tables.CREDIT_BALANCES;
import static aleph.pipeline.db.generated.Tables.SINK_OFFSETS;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import aleph.pipeline.config.PipelineConfig;

/** Read-only summaries of what the sink has written: for the demo and operators. */
public final class DatabaseSummary implements AutoCloseable {

  private final Connection connection;
  private final DSLContext dsl;

  public DatabaseSummary(final PipelineConfig config) {
    try {
      connection = DriverManager.getConnection(config.getString(PipelineConfig.JDBC_URL),
          config.getString(PipelineConfig.JDBC_USER), config.password(PipelineConfig.JDBC_PASSWORD));
    } catch (SQLException e) {
      throw new IllegalStateException("could not connect to " + config.getString(PipelineConfig.JDBC_URL) + ": "
          + e.getMessage(), e);
    }
    dsl = DSL.using(connection, SQLDialect.POSTGRES);
  }

  /** Rows per table, and per child partition for the partitioned ones (table → child → rows). */
  public Map<String, Map<String, Long>> rowsPerTableAndPartition() {
    final Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (String table : List.of("messages", "forgotten_messages", "credit_balances")) {
      out.put(table, Map.of(table, dsl.fetchCount(DSL.table(DSL.name(table))) * 1L));
    }
    for (String parent : PipelineConfig.PARTITIONED_TABLES) {
      final Map<String, Long> children = new LinkedHashMap<>();
      for (Record r : dsl.fetch("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
          + "WHERE i.inhparent = {0}::regclass ORDER BY c.relname", DSL.inline(parent))) {
        final String child = r.get(0, String.class);
        children.put(child, (long) dsl.fetchCount(DSL.table(DSL.name(child))));
      }
      out.put(parent, children);
    }
    return out;
  }

  /** The addresses with the largest current credit totals. */
  public List<Map.Entry<String, Long>> topBalances(final int limit) {
    final var total = DSL.sum(CREDIT_BALANCES.AMOUNT).cast(Long.class);
    final List<Map.Entry<String, Long>> out = new ArrayList<>();
    dsl.select(CREDIT_BALANCES.ADDRESS, total).from(CREDIT_BALANCES)
        .groupBy(CREDIT_BALANCES.ADDRESS).orderBy(total.desc(), CREDIT_BALANCES.ADDRESS).limit(limit)
        .forEach(r -> out.add(Map.entry(r.value1(), r.value2())));
    return out;
  }

  /** The current buckets of {@code address}: expiration (null = never) to amount, non-expiring first. */
  public List<Map.Entry<OffsetDateTime, Long>> buckets(final String address) {
    // 'infinity' (never expires) has no java.time value: it reads as null.
    final Field<OffsetDateTime> expiration = DSL.nullif(CREDIT_BALANCES.EXPIRATION_DATE,
        DSL.cast(DSL.inline("infinity"), SQLDataType.TIMESTAMPWITHTIMEZONE));
    final List<Map.Entry<OffsetDateTime, Long>> out = new ArrayList<>();
    dsl.select(expiration, CREDIT_BALANCES.AMOUNT).from(CREDIT_BALANCES)
        .where(CREDIT_BALANCES.ADDRESS.eq(address)).and(CREDIT_BALANCES.AMOUNT.gt(0L))
        .orderBy(expiration.asc().nullsFirst())
        .forEach(r -> out.add(new AbstractMap.SimpleEntry<>(r.value1(), r.value2())));
    return out;
  }

  /** The sink's committed next offsets for {@code group}. */
  public Map<TopicPartition, Long> sinkOffsets(final String group) {
    final Map<TopicPartition, Long> out = new LinkedHashMap<>();
    dsl.selectFrom(SINK_OFFSETS).where(SINK_OFFSETS.CONSUMER_GROUP.eq(group))
        .forEach(r -> out.put(new TopicPartition(r.getTopic(), r.getPartition()), r.getNextOffset()));
    return out;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
