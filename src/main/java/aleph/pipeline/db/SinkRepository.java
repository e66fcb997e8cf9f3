package aleph.pipeline.db;

import static aleph.pipeline.db.generated.Tables.CREDIT_BALANCES;
import static aleph.pipeline.db.generated.Tables.CREDIT_HISTORY;
import static aleph.pipeline.db.generated.Tables.FORGOTTEN_MESSAGES;
import static aleph.pipeline.db.generated.Tables.MESSAGES;
import static aleph.pipeline.db.generated.Tables.SINK_OFFSETS;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep4;
import org.jooq.JSONB;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditBucket;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.db.generated.tables.records.CreditBalancesRecord;

/**
 * The sink's writes, all on one connection inside the caller's transaction (auto-commit off): parent messages,
 * metric rows (binary COPY), credit history, balance snapshots, forgets and the consumed offsets. The caller
 * commits or rolls back.
 */
public final class SinkRepository implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SinkRepository.class);
  /** Unique-key violation: a metric row that is already stored. */
  private static final String UNIQUE_VIOLATION = "23505";
  private static final int ROWS_PER_STATEMENT = 1000;

  private final Connection connection;
  private final DSLContext dsl;

  public SinkRepository(final Connection connection) throws SQLException {
    this.connection = connection;
    connection.setAutoCommit(false);
    this.dsl = DSL.using(connection, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
  }

  /** The connection this repository writes on (the raw COPY baseline of the sink benchmark uses it too). */
  public Connection connection() {
    return connection;
  }

  /** The stored next offsets of {@code group} for the given partitions (absent when never stored). */
  public Map<TopicPartition, Long> offsets(final String group, final Collection<TopicPartition> partitions) {
    final Map<TopicPartition, Long> out = new HashMap<>();
    if (partitions.isEmpty()) {
      return out;
    }
    dsl.select(SINK_OFFSETS.TOPIC, SINK_OFFSETS.PARTITION, SINK_OFFSETS.NEXT_OFFSET)
        .from(SINK_OFFSETS)
        .where(SINK_OFFSETS.CONSUMER_GROUP.eq(group))
        .and(SINK_OFFSETS.TOPIC.in(partitions.stream().map(TopicPartition::topic).distinct().toList()))
        .fetch()
        .forEach(r -> {
          final TopicPartition tp = new TopicPartition(r.value1(), r.value2());
          if (partitions.contains(tp)) {
            out.put(tp, r.value3());
          }
        });
    return out;
  }

  /**
   * Moves the partitions of {@code group} to their next offsets in one statement: true when every partition was
   * at its expected offset (absent from {@code expected}, or mapped to null: no row yet) and moved. False means
   * another member wrote one of them meanwhile, so the caller's batch must be rolled back; the rows stay locked
   * until the transaction ends, which serialises writers.
   */
  public boolean advanceOffsets(final String group, final Map<TopicPartition, Long> expected,
      final Map<TopicPartition, Long> next) {
    if (next.isEmpty()) {
      return true;
    }
    final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    var insert = dsl.insertInto(SINK_OFFSETS, SINK_OFFSETS.CONSUMER_GROUP, SINK_OFFSETS.TOPIC,
        SINK_OFFSETS.PARTITION, SINK_OFFSETS.NEXT_OFFSET, SINK_OFFSETS.UPDATED_AT);
    final List<org.jooq.Condition> unchanged = new java.util.ArrayList<>();
    for (Map.Entry<TopicPartition, Long> entry : next.entrySet()) {
      final TopicPartition tp = entry.getKey();
      insert = insert.values(group, tp.topic(), tp.partition(), entry.getValue(), now);
      final Long from = expected.get(tp);
      if (from != null) {
        unchanged.add(SINK_OFFSETS.TOPIC.eq(tp.topic()).and(SINK_OFFSETS.PARTITION.eq(tp.partition()))
            .and(SINK_OFFSETS.NEXT_OFFSET.eq(from)));
      }
    }
    return insert.onConflict(SINK_OFFSETS.CONSUMER_GROUP, SINK_OFFSETS.TOPIC, SINK_OFFSETS.PARTITION)
        .doUpdate()
        .set(SINK_OFFSETS.NEXT_OFFSET, DSL.excluded(SINK_OFFSETS.NEXT_OFFSET))
        .set(SINK_OFFSETS.UPDATED_AT, DSL.excluded(SINK_OFFSETS.UPDATED_AT))
        .where(unchanged.isEmpty() ? DSL.falseCondition() : DSL.or(unchanged))
        .execute() == next.size();
  }

  /** For the given hashes, the sender of an applied forget that targets it. */
  public Map<String, String> appliedForgets(final Collection<String> hashes) {
    final Map<String, String> out = new HashMap<>();
    if (hashes.isEmpty()) {
      return out;
    }
    dsl.select(FORGOTTEN_MESSAGES.ITEM_HASH, FORGOTTEN_MESSAGES.FORGET_SENDER)
        .from(FORGOTTEN_MESSAGES)
        .where(FORGOTTEN_MESSAGES.APPLIED.isTrue())
        .and(FORGOTTEN_MESSAGES.ITEM_HASH.in(hashes))
        .fetch()
        .forEach(r -> out.put(r.value1(), r.value2()));
    return out;
  }

  /** Marks recorded forgets as not applied: their target turned out to belong to someone else. */
  public int markForgetsUnauthorised(final Collection<String> hashes) {
    if (hashes.isEmpty()) {
      return 0;
    }
    return dsl.update(FORGOTTEN_MESSAGES).set(FORGOTTEN_MESSAGES.APPLIED, false)
        .where(FORGOTTEN_MESSAGES.ITEM_HASH.in(hashes)).execute();
  }

  /** Inserts or completes parent rows from accepted-message records (the last record per hash wins). */
  public int upsertMessages(final Collection<AcceptedMessage> messages) {
    int written = 0;
    for (List<AcceptedMessage> slice : slices(List.copyOf(messages))) {
      var insert = dsl.insertInto(MESSAGES, MESSAGES.ITEM_HASH, MESSAGES.TYPE, MESSAGES.CHAIN, MESSAGES.SENDER,
          MESSAGES.CHANNEL, MESSAGES.TIME, MESSAGES.OWNER, MESSAGES.CONTENT_TYPE, MESSAGES.CONTENT, MESSAGES.SIZE,
          MESSAGES.KIND);
      for (AcceptedMessage m : slice) {
        insert = insert.values(m.getItemHash(), m.getType().name().replace('_', '-'), m.getChain(), m.getSender(),
            m.getChannel(), time(m.getTime()), m.getOwner(), m.getContentType(), JSONB.valueOf(m.getContent()),
            m.getSize(), m.getKind().name());
      }
      written += insert.onConflict(MESSAGES.ITEM_HASH).doUpdate()
          .set(MESSAGES.TYPE, DSL.excluded(MESSAGES.TYPE))
          .set(MESSAGES.CHAIN, DSL.excluded(MESSAGES.CHAIN))
          .set(MESSAGES.SENDER, DSL.excluded(MESSAGES.SENDER))
          .set(MESSAGES.CHANNEL, DSL.excluded(MESSAGES.CHANNEL))
          .set(MESSAGES.TIME, DSL.excluded(MESSAGES.TIME))
          .set(MESSAGES.OWNER, DSL.excluded(MESSAGES.OWNER))
          .set(MESSAGES.CONTENT_TYPE, DSL.excluded(MESSAGES.CONTENT_TYPE))
          .set(MESSAGES.CONTENT, DSL.excluded(MESSAGES.CONTENT))
          .set(MESSAGES.SIZE, DSL.excluded(MESSAGES.SIZE))
          .set(MESSAGES.KIND, DSL.excluded(MESSAGES.KIND))
          .execute();
    }
    return written;
  }

  /** Parent rows announced by metric records: inserted when missing, never overwritten. */
  public int insertParents(final Collection<ParentRow> parents) {
    int written = 0;
    for (List<ParentRow> slice : slices(List.copyOf(parents))) {
      var insert = dsl.insertInto(MESSAGES, MESSAGES.ITEM_HASH, MESSAGES.TYPE, MESSAGES.SENDER, MESSAGES.CHANNEL,
          MESSAGES.TIME, MESSAGES.OWNER, MESSAGES.KIND);
      for (ParentRow p : slice) {
        insert = insert.values(p.itemHash(), "POST", p.sender(), p.channel(), time(p.time()), p.owner(), "SCORING");
      }
      written += insert.onConflictDoNothing().execute();
    }
    return written;
  }

  /**
   * Metric rows through binary COPY straight into the partitioned parent, or, with {@code merge}, through a
   * staging table and {@code INSERT ... ON CONFLICT DO NOTHING}. The direct COPY fails the transaction on a row
   * that is already stored (a replay the offsets did not cover); the caller then retries the batch merging.
   */
  public long writeCrn(final List<CrnMetric> rows, final boolean merge) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    return merge ? MetricCopy.mergeCrn(connection, rows) : MetricCopy.copyCrn(connection, rows);
  }

  public long writeCcn(final List<CcnMetric> rows, final boolean merge) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    return merge ? MetricCopy.mergeCcn(connection, rows) : MetricCopy.copyCcn(connection, rows);
  }

  /** Whether {@code e} (or a cause) is a unique-key violation. */
  public static boolean isUniqueViolation(final Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Credit history rows; a row already stored (same credit_ref, credit_index, message_timestamp) is skipped. */
  public int insertHistory(final List<CreditHistoryEntry> entries) {
    int written = 0;
    for (List<CreditHistoryEntry> slice : slices(entries)) {
      var insert = dsl.insertInto(CREDIT_HISTORY, CREDIT_HISTORY.ADDRESS, CREDIT_HISTORY.AMOUNT,
          CREDIT_HISTORY.PRICE, CREDIT_HISTORY.BONUS_AMOUNT, CREDIT_HISTORY.TX_HASH, CREDIT_HISTORY.TOKEN,
          CREDIT_HISTORY.CHAIN, CREDIT_HISTORY.PROVIDER, CREDIT_HISTORY.ORIGIN, CREDIT_HISTORY.ORIGIN_REF,
          CREDIT_HISTORY.PAYMENT_METHOD, CREDIT_HISTORY.EXPENSE_COUNT, CREDIT_HISTORY.EXPENSE_SIZE_MIB,
          CREDIT_HISTORY.CREDIT_REF, CREDIT_HISTORY.CREDIT_INDEX, CREDIT_HISTORY.EXPIRATION_DATE,
          CREDIT_HISTORY.MESSAGE_TIMESTAMP);
      for (CreditHistoryEntry e : slice) {
        insert = insert.values(e.getAddress(), e.getAmount(), decimal(e.getPrice()), e.getBonusAmount(),
            e.getTxHash(), e.getToken(), e.getChain(), e.getProvider(), e.getOrigin(), e.getOriginRef(),
            e.getPaymentMethod(), e.getExpenseCount(), decimal(e.getExpenseSizeMib()), e.getCreditRef(),
            e.getCreditIndex(), time(e.getExpirationDate()), time(e.getMessageTimestamp()));
      }
      written += insert.onConflictDoNothing().execute();
    }
    return written;
  }

  /** Replaces each address's buckets with the snapshot's (null snapshot: a tombstone, the address is gone). */
  public int replaceBalances(final Map<String, CreditBalance> latestByAddress) {
    if (latestByAddress.isEmpty()) {
      return 0;
    }
    dsl.deleteFrom(CREDIT_BALANCES).where(CREDIT_BALANCES.ADDRESS.in(latestByAddress.keySet())).execute();
    final Field<OffsetDateTime> infinity = DSL.cast(DSL.inline("infinity"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    int written = 0;
    InsertValuesStep4<CreditBalancesRecord, String, OffsetDateTime, Long, OffsetDateTime> insert = null;
    int pending = 0;
    for (CreditBalance balance : latestByAddress.values()) {
      if (balance == null) {
        continue;
      }
      for (CreditBucket bucket : balance.getBuckets()) {
        if (insert == null) {
          insert = dsl.insertInto(CREDIT_BALANCES, CREDIT_BALANCES.ADDRESS, CREDIT_BALANCES.EXPIRATION_DATE,
              CREDIT_BALANCES.AMOUNT, CREDIT_BALANCES.AS_OF);
        }
        insert = insert.values(DSL.val(balance.getAddress()),
            bucket.getExpiration() == null ? infinity : DSL.val(time(bucket.getExpiration())),
            DSL.val(bucket.getAmount()), DSL.val(time(balance.getAsOf())));
        if (++pending == ROWS_PER_STATEMENT) {
          written += insert.execute();
          insert = null;
          pending = 0;
        }
      }
    }
    if (insert != null) {
      written += insert.execute();
    }
    return written;
  }

  /**
   * Applies one forget: deletes the target (its metric rows go with it through the cascade) when the forget's
   * sender is the target's owner or sender, case-insensitively, and records the forget either way. A forget of
   * a target not stored yet is recorded as applied; the target's rows are then dropped on arrival.
   */
  public ForgetOutcome applyForget(final ForgottenMessage forget) {
    final var target = dsl.select(MESSAGES.OWNER, MESSAGES.SENDER).from(MESSAGES)
        .where(MESSAGES.ITEM_HASH.eq(forget.getTargetHash())).forUpdate().fetchOne();
    final ForgetOutcome outcome;
    if (target == null) {
      outcome = ForgetOutcome.PENDING;
    } else if (forget.getForgetSender().equalsIgnoreCase(target.value1())
        || forget.getForgetSender().equalsIgnoreCase(target.value2())) {
      dsl.deleteFrom(MESSAGES).where(MESSAGES.ITEM_HASH.eq(forget.getTargetHash())).execute();
      outcome = ForgetOutcome.DELETED;
    } else {
      outcome = ForgetOutcome.UNAUTHORISED;
    }
    final boolean applied = outcome != ForgetOutcome.UNAUTHORISED;
    final Field<String[]> existing = FORGOTTEN_MESSAGES.FORGOTTEN_BY;
    final Field<Boolean> alreadyListed =
        DSL.field("{0} = ANY({1})", Boolean.class, DSL.val(forget.getForgetHash()), existing);
    dsl.insertInto(FORGOTTEN_MESSAGES)
        .set(FORGOTTEN_MESSAGES.ITEM_HASH, forget.getTargetHash())
        .set(FORGOTTEN_MESSAGES.FORGOTTEN_BY, new String[] {forget.getForgetHash()})
        .set(FORGOTTEN_MESSAGES.FORGOTTEN_AT, time(forget.getForgottenAt()))
        .set(FORGOTTEN_MESSAGES.FORGET_SENDER, forget.getForgetSender())
        .set(FORGOTTEN_MESSAGES.APPLIED, applied)
        .onConflict(FORGOTTEN_MESSAGES.ITEM_HASH)
        .doUpdate()
        .set(FORGOTTEN_MESSAGES.FORGOTTEN_BY, DSL.when(alreadyListed, existing)
            .otherwise(DSL.arrayAppend(existing, DSL.val(forget.getForgetHash()))))
        // An authorised forget wins over an earlier unauthorised one; an applied one is never undone.
        .set(FORGOTTEN_MESSAGES.FORGET_SENDER, DSL.when(FORGOTTEN_MESSAGES.APPLIED.isTrue(),
            FORGOTTEN_MESSAGES.FORGET_SENDER).otherwise(DSL.excluded(FORGOTTEN_MESSAGES.FORGET_SENDER)))
        .set(FORGOTTEN_MESSAGES.APPLIED, DSL.field(DSL.condition(FORGOTTEN_MESSAGES.APPLIED)
            .or(DSL.condition(DSL.excluded(FORGOTTEN_MESSAGES.APPLIED)))))
        .execute();
    return outcome;
  }

  public void commit() throws SQLException {
    connection.commit();
  }

  public void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // The connection is being discarded after the failure anyway.
      LOG.debug("rollback failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing a broken connection has nothing left to release.
      LOG.debug("close failed: {}", e.getMessage());
    }
  }

  /** Instants for the jOOQ path (timestamptz columns). */
  static OffsetDateTime time(final Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static BigDecimal decimal(final String text) {
    return text == null ? null : new BigDecimal(text);
  }

  private static <T> List<List<T>> slices(final List<T> all) {
    final java.util.ArrayList<List<T>> out = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i += ROWS_PER_STATEMENT) {
      out.add(all.subList(i, Math.min(all.size(), i + ROWS_PER_STATEMENT)));
    }
    return out;
  }

  /** A parent message row as a metric record describes it. */
  public record ParentRow(String itemHash, Instant time, String sender, String channel, String owner) {
  }

  /** What a forget did. */
  public enum ForgetOutcome { DELETED, PENDING, UNAUTHORISED }
}
