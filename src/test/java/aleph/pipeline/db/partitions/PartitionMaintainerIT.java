package aleph.pipeline.db.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.db.partitions.MaintenanceRun.Outcome;
import aleph.pipeline.testing.PipelineInfra;
import aleph.pipeline.testing.PipelineInfra.TestEnv;

@ExtendWith(PipelineInfra.class)
class PartitionMaintainerIT {

  private static final String CRN = "crn_metrics";
  private static final PartitionInterval MONTH = PartitionInterval.MONTH;

  // V001 creates children relative to the database's clock, so "now" is the real one, fixed for the test.
  private final Instant now = Instant.now();
  private final Instant month = MONTH.floor(now);

  @Test
  void shouldChangeNothingWhenStateIsSteadyWithDefaultPolicies(final TestEnv env) throws Exception {
    // Given
    final Map<String, List<String>> before = allChildren(env);

    // When
    final MaintenanceRun run = maintainer(env, Map.of(), false).maintain("test");

    // Then
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.created()).isEmpty();
    assertThat(run.dropped()).isEmpty();
    assertThat(allChildren(env)).isEqualTo(before);
    assertThat(before.get(CRN)).containsExactly(monthName(0), monthName(1), CRN + "_default");
  }

  @Test
  void shouldCreateMissingChildrenWhenLookaheadGrowsAndBeIdempotent(final TestEnv env) throws Exception {
    // Given
    final PartitionMaintainer maintainer = maintainer(env, Map.of(lookahead(CRN), 3), false);

    // When
    final MaintenanceRun first = maintainer.maintain("test");
    final MaintenanceRun second = maintainer.maintain("test");

    // Then
    assertThat(first.created()).containsExactly(monthName(2), monthName(3));
    assertThat(second.created()).isEmpty();
    assertThat(children(env, CRN)).containsExactly(monthName(0), monthName(1), monthName(2), monthName(3),
        CRN + "_default");
    assertThat(children(env, "ccn_metrics")).hasSize(3);
  }

  @Test
  void shouldGiveNewChildTheParentsIndexesConstraintsAndRoutingWhenAttached(final TestEnv env) throws Exception {
    // Given
    maintainer(env, Map.of(lookahead(CRN), 2), false).maintain("test");
    final Instant inNewChild = MONTH.plus(now, 2).plus(Duration.ofDays(2));
    final Instant inCurrent = month.plus(Duration.ofDays(2));

    // When
    try (Connection c = env.connect()) {
      insertMessage(c, "h1");
      insertCrn(c, "h1", "n1", inNewChild);
      insertCrn(c, "h1", "n2", inCurrent);

      // Then
      assertThat(rows(c, monthName(2))).isEqualTo(1);
      assertThat(rows(c, monthName(0))).isEqualTo(1);
      assertThat(rows(c, CRN + "_default")).isZero();
      assertThat(indexCount(c, monthName(2))).isEqualTo(indexCount(c, monthName(0))).isEqualTo(4);
      assertThatThrownBy(() -> insertCrn(c, "unknown-hash", "n1", inNewChild)).isInstanceOf(SQLException.class)
          .hasMessageContaining("fk_crn_metrics_item_hash");
      assertThatThrownBy(() -> insertCrn(c, "h1", "n1", inNewChild)).isInstanceOf(SQLException.class)
          .hasMessageContaining("duplicate key");
    }
  }

  @Test
  void shouldFillGapsBetweenOldChildAndNowWhenChildrenAreMissing(final TestEnv env) throws Exception {
    // Given: an old child three months back, nothing in between
    try (Connection c = env.connect()) {
      attach(c, CRN, monthName(-3), MONTH.plus(now, -3), MONTH.plus(now, -2));
    }

    // When
    final MaintenanceRun run = maintainer(env, Map.of(), false).maintain("test");

    // Then
    assertThat(run.created()).containsExactly(monthName(-2), monthName(-1));
    assertThat(children(env, CRN)).containsExactly(monthName(-3), monthName(-2), monthName(-1), monthName(0),
        monthName(1), CRN + "_default");
  }

  @Test
  void shouldDropExactlyTheExpiredChildrenWhenRetentionShrinks(final TestEnv env) throws Exception {
    // Given: fourteen months back with retention none, then retention 3
    try (Connection c = env.connect()) {
      attach(c, CRN, monthName(-14), MONTH.plus(now, -14), MONTH.plus(now, -13));
    }
    maintainer(env, Map.of(retention(CRN), "none"), false).maintain("test");
    assertThat(children(env, CRN)).hasSize(17);

    // When
    final MaintenanceRun run = maintainer(env, Map.of(retention(CRN), "3"), false).maintain("test");

    // Then: cutoff = month - 3; a child ending exactly at the cutoff goes, the one starting there stays
    final List<String> expectedDropped = new ArrayList<>();
    for (int i = -14; i <= -4; i++) {
      expectedDropped.add(monthName(i));
    }
    assertThat(run.dropped()).containsExactlyInAnyOrderElementsOf(expectedDropped);
    assertThat(children(env, CRN)).containsExactly(monthName(-3), monthName(-2), monthName(-1), monthName(0),
        monthName(1), CRN + "_default");
    try (Connection c = env.connect()) {
      assertThat(new PartitionCatalog(Duration.ofSeconds(5)).relationExists(c, monthName(-4))).isFalse();
    }
  }

  @Test
  void shouldDetachConcurrentlyWhenTableHasNoDefaultPartition(final TestEnv env) throws Exception {
    // Given
    try (Connection c = env.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE credit_history_default");
      attach(c, "credit_history", "credit_history_" + suffix(-2), MONTH.plus(now, -2), MONTH.plus(now, -1));
    }

    // When
    final MaintenanceRun run = maintainer(env, Map.of(retention("credit_history"), "1"), false).maintain("test");

    // Then
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.dropped()).containsExactly("credit_history_" + suffix(-2));
    assertThat(children(env, "credit_history")).containsExactly("credit_history_" + suffix(-1),
        "credit_history_" + suffix(0), "credit_history_" + suffix(1));
  }

  @Test
  void shouldWarnAndReportWhenDefaultPartitionHoldsRows(final TestEnv env) throws Exception {
    // Given
    try (Connection c = env.connect()) {
      insertMessage(c, "h1");
      insertCrn(c, "h1", "n1", Instant.parse("2099-01-01T00:00:00Z"));
    }
    final ListAppender<ILoggingEvent> logs = capture();

    // When
    final MaintenanceRun run = maintainer(env, Map.of(), false).maintain("test");
    final JsonNode status = new ObjectMapper().readTree(statusService(env).statusJson());

    // Then
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.warnings()).singleElement().asString().contains("DEFAULT partition crn_metrics_default holds 1");
    assertThat(logs.list).anyMatch(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().contains("DEFAULT partition"));
    final JsonNode crn = table(status, CRN);
    assertThat(crn.get("default_rows").asLong()).isEqualTo(1);
    assertThat(crn.get("partitions").findValuesAsText("name")).contains(CRN + "_default");
  }

  @Test
  void shouldSplitDefaultRowsIntoNewChildWhenTheyBlockItsPeriod(final TestEnv env) throws Exception {
    // Given: rows two months ahead land in DEFAULT because that child does not exist yet
    final Instant ahead = MONTH.plus(now, 2).plus(Duration.ofHours(5));
    try (Connection c = env.connect()) {
      insertMessage(c, "h1");
      insertCrn(c, "h1", "n1", ahead);
      insertCrn(c, "h1", "n2", ahead.plus(Duration.ofDays(3)));
      insertCrn(c, "h1", "n3", Instant.parse("2099-01-01T00:00:00Z"));
      assertThat(rows(c, CRN + "_default")).isEqualTo(3);
      // the reference's way: creating the child in place fails while DEFAULT holds rows of it
      assertThatThrownBy(() -> createInPlace(c, CRN, monthName(2), MONTH.plus(now, 2), MONTH.plus(now, 3)))
          .isInstanceOf(SQLException.class).hasMessageContaining("default partition");
    }
    final MaintenanceRun blocked = maintainer(env, Map.of(lookahead(CRN), 2), false).maintain("test");
    assertThat(blocked.outcome()).isEqualTo(Outcome.DEGRADED);
    assertThat(blocked.problems()).singleElement().asString().contains("split-default");
    assertThat(children(env, CRN)).doesNotContain(monthName(2));

    // When
    final MaintenanceRun split = maintainer(env, Map.of(lookahead(CRN), 2), true).maintain("test");

    // Then
    assertThat(split.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(split.created()).containsExactly(monthName(2));
    assertThat(split.rowsMoved()).isEqualTo(2);
    try (Connection c = env.connect()) {
      assertThat(rows(c, monthName(2))).isEqualTo(2);
      assertThat(rows(c, CRN + "_default")).isEqualTo(1);
      assertThat(indexCount(c, monthName(2))).isEqualTo(4);
      insertCrn(c, "h1", "n4", ahead.plus(Duration.ofDays(1)));
      assertThat(rows(c, monthName(2))).isEqualTo(3);
    }
  }

  @Test
  void shouldSplitOnePeriodFromTheCommandPathWhenAsked(final TestEnv env) throws Exception {
    // Given: a day-partitioned credit history with rows of a missing day in DEFAULT
    final Map<String, Object> daily = Map.of(PipelineConfig.partitionKey("credit_history", "interval"), "day");
    final Instant day = Instant.parse("2031-03-04T10:00:00Z");
    try (Connection c = env.connect()) {
      insertCredit(c, "ref-1", day);
      insertCredit(c, "ref-2", day.plus(Duration.ofHours(20)));
    }

    // When
    final MaintenanceRun run = maintainer(env, daily, false).splitDefault("credit_history", Optional.of("2031-03-04"));

    // Then
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.created()).containsExactly("credit_history_2031_03_04");
    try (Connection c = env.connect()) {
      assertThat(rows(c, "credit_history_2031_03_04")).isEqualTo(1);
      assertThat(rows(c, "credit_history_default")).isEqualTo(1);
    }
  }

  @Test
  void shouldSplitEveryKeepablePeriodButLeaveExpiredRowsWhenNoPeriodIsGiven(final TestEnv env) throws Exception {
    // Given: DEFAULT rows in two future months and one month older than the 12-month retention
    final Instant old = MONTH.plus(now, -20).plus(Duration.ofDays(3));
    try (Connection c = env.connect(); Statement s = c.createStatement()) {
      insertMessage(c, "h1");
      for (String at : List.of("2040-02-10 00:00:00+00", "2040-02-28 23:59:59+00", "2040-05-01 00:00:00+00",
          old.toString())) {
        s.execute("INSERT INTO ccn_metrics (measured_at, item_hash, node_id) VALUES ('" + at + "', 'h1', '"
            + at + "')");
      }
    }

    // When
    final MaintenanceRun run = maintainer(env, Map.of(), false).splitDefault("ccn_metrics", Optional.empty());

    // Then
    assertThat(run.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(run.created()).containsExactly("ccn_metrics_2040_02", "ccn_metrics_2040_05");
    assertThat(run.rowsMoved()).isEqualTo(3);
    assertThat(run.warnings()).anyMatch(w -> w.contains("older than the retention cutoff"));
    try (Connection c = env.connect()) {
      assertThat(rows(c, "ccn_metrics_2040_02")).isEqualTo(2);
      assertThat(rows(c, "ccn_metrics_default")).isEqualTo(1);
    }
  }

  @Test
  void shouldEndConsistentWithoutErrorsWhenTwoMaintainersRunConcurrently(final TestEnv env) throws Exception {
    // Given
    final Map<String, Object> wide = Map.of(lookahead(CRN), 12, lookahead("ccn_metrics"), 12,
        lookahead("credit_history"), 12);
    final PartitionMaintainer a = maintainer(env, wide, false);
    final PartitionMaintainer b = maintainer(env, wide, false);
    final CountDownLatch start = new CountDownLatch(1);
    final ExecutorService pool = Executors.newFixedThreadPool(2);

    // When
    final List<Future<List<MaintenanceRun>>> futures = new ArrayList<>();
    try {
      for (PartitionMaintainer m : List.of(a, b)) {
        futures.add(pool.submit((Callable<List<MaintenanceRun>>) () -> {
          start.await();
          final List<MaintenanceRun> runs = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            runs.add(m.maintain("test"));
          }
          return runs;
        }));
      }
      start.countDown();
      final List<MaintenanceRun> runs = new ArrayList<>();
      for (Future<List<MaintenanceRun>> f : futures) {
        runs.addAll(f.get());
      }

      // Then
      assertThat(runs).extracting(MaintenanceRun::outcome).containsOnly(Outcome.SUCCEEDED, Outcome.SKIPPED);
      assertThat(runs.stream().mapToInt(r -> r.created().size()).sum()).isEqualTo(3 * 11);
      final List<String> expected = new ArrayList<>();
      for (int i = 0; i <= 12; i++) {
        expected.add(monthName(i));
      }
      expected.add(CRN + "_default");
      assertThat(children(env, CRN)).containsExactlyElementsOf(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldNeverDeadlockWithAConcurrentWriterWhenCreatingSplittingAndDropping(final TestEnv env)
      throws Exception {
    // Given: a writer in the sink's lock order (messages, then the parent's children, DEFAULT included)
    try (Connection c = env.connect()) {
      attach(c, CRN, monthName(-14), MONTH.plus(now, -14), MONTH.plus(now, -13));
    }
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger committed = new AtomicInteger();
    final List<String> writerErrors = new CopyOnWriteArrayList<>();
    final Thread writer = new Thread(() -> {
      try (Connection c = env.connect()) {
        c.setAutoCommit(false);
        for (int i = 0; !stop.get(); i++) {
          try {
            insertMessage(c, "w" + i);
            insertCrn(c, "w" + i, "now", now);
            insertCrn(c, "w" + i, "ahead", MONTH.plus(now, 6).plus(Duration.ofMinutes(i)));
            insertCrn(c, "w" + i, "far", Instant.parse("2099-01-01T00:00:00Z").plus(Duration.ofMinutes(i)));
            c.commit();
            committed.incrementAndGet();
          } catch (SQLException e) {
            writerErrors.add(e.getMessage());
            c.rollback();
          }
        }
      } catch (SQLException e) {
        writerErrors.add(e.getMessage());
      }
    }, "writer");
    writer.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() >= 5);

    // When: creation with DEFAULT splits, then retention, while the writer keeps writing
    final List<MaintenanceRun> runs = new ArrayList<>();
    try {
      for (int lookahead = 2; lookahead <= 7; lookahead++) {
        runs.add(maintainer(env, Map.of(lookahead(CRN), lookahead, retention(CRN), "none"), true, now,
            Duration.ofSeconds(2)).maintain("test"));
      }
      runs.add(maintainer(env, Map.of(lookahead(CRN), 7), true, now, Duration.ofSeconds(2)).maintain("test"));
    } finally {
      stop.set(true);
      writer.join(30_000);
    }
    final MaintenanceRun settled = maintainer(env, Map.of(lookahead(CRN), 7), true).maintain("test");

    // Then
    assertThat(writerErrors).isEmpty();
    assertThat(runs).flatExtracting(MaintenanceRun::problems).noneMatch(p -> p.contains("deadlock"));
    assertThat(settled.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(children(env, CRN)).contains(monthName(6), monthName(7)).doesNotContain(monthName(-14));
    try (Connection c = env.connect()) {
      assertThat(rows(c, monthName(6))).isEqualTo(committed.get());
      assertThat(rows(c, CRN + "_default")).isEqualTo(committed.get());
    }
  }

  @Test
  void shouldKeepRangesDisjointAcrossYearEndWhenIntervalSwitchesBetweenMonthAndDay(final TestEnv env)
      throws Exception {
    // Given: an empty table (V001's children dropped), a clock on 30 December
    try (Connection c = env.connect(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE " + monthName(0) + ", " + monthName(1));
    }
    final Instant december30 = Instant.parse("2031-12-30T12:00:00Z");
    final Map<String, Object> daily = Map.of(PipelineConfig.partitionKey(CRN, "interval"), "day",
        lookahead(CRN), 7, retention(CRN), "none");
    final Map<String, Object> monthly = Map.of(lookahead(CRN), 2, retention(CRN), "none");

    // When
    final MaintenanceRun days = maintainer(env, daily, false, december30).maintain("test");
    final MaintenanceRun months = maintainer(env, monthly, false, december30).maintain("test");

    // Then (the other tables follow the clock too; only crn_metrics switched)
    final List<String> crnDays = days.created().stream().filter(n -> n.startsWith(CRN)).toList();
    assertThat(crnDays).first().isEqualTo("crn_metrics_2031_12_30");
    assertThat(crnDays).hasSize(8).last().isEqualTo("crn_metrics_2032_01_06");
    assertThat(months.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(months.created()).contains("crn_metrics_2031_12_01", "crn_metrics_2032_01_31", "crn_metrics_2032_02")
        .doesNotContain("crn_metrics_2031_12", "crn_metrics_2032_01");
    final List<PartitionRange> ranges = ranges(env, CRN);
    assertThat(ranges.get(0).lower()).isEqualTo(Instant.parse("2031-12-01T00:00:00Z"));
    for (int i = 1; i < ranges.size(); i++) {
      assertThat(ranges.get(i).lower()).isEqualTo(ranges.get(i - 1).upper());
    }
    assertThat(ranges.get(ranges.size() - 1).upper()).isEqualTo(Instant.parse("2032-03-01T00:00:00Z"));
  }

  @Test
  void shouldRecordRunsAndRenderStatusWhenMaintained(final TestEnv env) throws Exception {
    // Given
    final PartitionMaintainer maintainer = maintainer(env, Map.of(lookahead(CRN), 2), false);
    maintainer.maintain("test");

    // When
    final PartitionStatusService service = PartitionStatusService.of(maintainer,
        ConnectionSource.fromConfig(env.config()));
    final JsonNode json = new ObjectMapper().readTree(service.statusJson());
    final String table = service.renderTable();

    // Then
    assertThat(json.get("latest_crn_metrics_partition_table_name").asText()).isEqualTo(monthName(2));
    assertThat(json.get("total_crn_metrics_partitions").asInt()).isEqualTo(4);
    assertThat(json.get("latest_credit_history_partition_table_name").asText())
        .isEqualTo("credit_history_" + suffix(1));
    assertThat(table(json, CRN).get("covered_until").asText()).isEqualTo(MONTH.plus(now, 3).toString());
    assertThat(json.at("/maintenance/last_run/outcome").asText()).isEqualTo("succeeded");
    assertThat(json.at("/maintenance/last_run/created/0").asText()).isEqualTo(monthName(2));
    assertThat(table).contains(monthName(2), "crn_metrics_default", "last run: succeeded");
  }

  @Test
  void shouldReportFailureAndRecoverNextRunWhenDatabaseIsUnreachable(final TestEnv env) throws Exception {
    // Given
    final boolean[] reachable = {false};
    final ConnectionSource real = ConnectionSource.fromConfig(env.config());
    final ConnectionSource flaky = () -> {
      if (!reachable[0]) {
        throw new SQLException("connection refused (simulated)");
      }
      return real.open();
    };
    final PipelineConfig config = env.config().with(Map.of(lookahead(CRN), 2));
    final PartitionMaintainer maintainer = new PartitionMaintainer(flaky, PartitionPolicy.fromConfig(config), false,
        Clock.fixed(now, ZoneOffset.UTC), "test", Duration.ofSeconds(5));

    // When
    final MaintenanceRun failed = maintainer.maintain("schedule");
    reachable[0] = true;
    final MaintenanceRun retried = maintainer.maintain("schedule");

    // Then
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.problems()).singleElement().asString().contains("connection refused");
    assertThat(retried.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(retried.created()).containsExactly(monthName(2));
    assertThat(maintainer.lastAttempt()).contains(retried);
  }

  @Test
  void shouldGiveUpOnBusyLockThenSucceedNextRunWhenAWriterHoldsTheDefaultPartition(final TestEnv env)
      throws Exception {
    // Given: an open write transaction on crn_metrics_default, as the sink has while routing a row there
    final PipelineConfig config = env.config().with(Map.of(lookahead(CRN), 2, lookahead("ccn_metrics"), 2));
    final PartitionMaintainer maintainer = new PartitionMaintainer(ConnectionSource.fromConfig(config),
        PartitionPolicy.fromConfig(config), false, Clock.fixed(now, ZoneOffset.UTC), "test", Duration.ofMillis(300));
    final MaintenanceRun blocked;
    try (Connection writer = env.connect(); Statement s = writer.createStatement()) {
      writer.setAutoCommit(false);
      s.execute("LOCK TABLE crn_metrics_default IN ROW EXCLUSIVE MODE");

      // When
      blocked = maintainer.maintain("schedule");
      writer.rollback();
    }
    final MaintenanceRun next = maintainer.maintain("schedule");

    // Then: the blocked change waited at most the lock timeout and was the only thing not done
    assertThat(blocked.outcome()).isEqualTo(Outcome.DEGRADED);
    assertThat(blocked.problems()).singleElement().asString().contains("could not create " + monthName(2))
        .contains("lock timeout");
    assertThat(blocked.created()).containsExactly(MONTH.childName("ccn_metrics", MONTH.plus(now, 2)));
    assertThat(next.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(next.created()).containsExactly(monthName(2));
  }

  // ---- helpers ----

  private PartitionMaintainer maintainer(final TestEnv env, final Map<String, Object> overrides, final boolean split) {
    return maintainer(env, overrides, split, now);
  }

  private static PartitionMaintainer maintainer(final TestEnv env, final Map<String, Object> overrides,
      final boolean split, final Instant at) {
    return maintainer(env, overrides, split, at, Duration.ofSeconds(5));
  }

  private static PartitionMaintainer maintainer(final TestEnv env, final Map<String, Object> overrides,
      final boolean split, final Instant at, final Duration lockTimeout) {
    final PipelineConfig config = env.config().with(overrides);
    return new PartitionMaintainer(ConnectionSource.fromConfig(config), PartitionPolicy.fromConfig(config), split,
        Clock.fixed(at, ZoneOffset.UTC), "test", lockTimeout);
  }

  private PartitionStatusService statusService(final TestEnv env) {
    return new PartitionStatusService(ConnectionSource.fromConfig(env.config()),
        PartitionPolicy.fromConfig(env.config()), Clock.fixed(now, ZoneOffset.UTC), Optional::empty);
  }

  private static JsonNode table(final JsonNode status, final String name) {
    for (JsonNode t : status.get("tables")) {
      if (t.get("table").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no table " + name + " in " + status);
  }

  private String monthName(final int offset) {
    return MONTH.childName(CRN, MONTH.plus(now, offset));
  }

  private String suffix(final int offset) {
    return MONTH.childName("x", MONTH.plus(now, offset)).substring(2);
  }

  private static String lookahead(final String table) {
    return PipelineConfig.partitionKey(table, "lookahead");
  }

  private static String retention(final String table) {
    return PipelineConfig.partitionKey(table, "retention");
  }

  private static Map<String, List<String>> allChildren(final TestEnv env) throws SQLException {
    return Map.of(CRN, children(env, CRN), "ccn_metrics", children(env, "ccn_metrics"), "credit_history",
        children(env, "credit_history"));
  }

  private static List<String> children(final TestEnv env, final String table) throws SQLException {
    try (Connection c = env.connect()) {
      return new PartitionCatalog(Duration.ofSeconds(5)).children(c, table).stream().map(ChildPartition::name)
          .sorted().toList();
    }
  }

  private static List<PartitionRange> ranges(final TestEnv env, final String table) throws SQLException {
    try (Connection c = env.connect()) {
      return new PartitionCatalog(Duration.ofSeconds(5)).children(c, table).stream()
          .filter(ch -> ch.range().isPresent()).map(ch -> ch.range().get())
          .sorted(Comparator.comparing(PartitionRange::lower)).toList();
    }
  }

  private static void attach(final Connection c, final String parent, final String name, final Instant from,
      final Instant to) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + name + " (LIKE " + parent + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
      s.execute("ALTER TABLE " + parent + " ATTACH PARTITION " + name + " FOR VALUES FROM ("
          + PartitionCatalog.literal(from) + ") TO (" + PartitionCatalog.literal(to) + ")");
    }
  }

  private static void createInPlace(final Connection c, final String parent, final String name, final Instant from,
      final Instant to) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + name + " PARTITION OF " + parent + " FOR VALUES FROM ("
          + PartitionCatalog.literal(from) + ") TO (" + PartitionCatalog.literal(to) + ")");
    }
  }

  private static void insertMessage(final Connection c, final String hash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (item_hash, type, chain, sender, time, owner) "
        + "VALUES (?, 'POST', 'ETH', 's', now(), 'o')")) {
      ps.setString(1, hash);
      ps.executeUpdate();
    }
  }

  private static void insertCrn(final Connection c, final String hash, final String node, final Instant at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crn_metrics (measured_at, item_hash, node_id) VALUES (?, ?, ?)")) {
      ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      ps.setString(2, hash);
      ps.setString(3, node);
      ps.executeUpdate();
    }
  }

  private static void insertCredit(final Connection c, final String ref, final Instant at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO credit_history (address, amount, credit_ref, "
        + "credit_index, message_timestamp) VALUES ('0xabc', 10, ?, 0, ?)")) {
      ps.setString(1, ref);
      ps.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  private static long rows(final Connection c, final String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM ONLY " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static int indexCount(final Connection c, final String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_index WHERE indrelid = to_regclass(?)")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static ListAppender<ILoggingEvent> capture() {
    final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(PartitionMaintainer.class)).addAppender(appender);
    return appender;
  }
}
