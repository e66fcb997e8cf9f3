package aleph.pipeline.db.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import aleph.pipeline.db.partitions.PartitionPlan.PlannedChild;

class PartitionPlannerTest {

  private static final Instant NOW = Instant.parse("2026-11-21T19:42:00Z");

  @Test
  void shouldPlanNothingWhenSteadyState() {
    // Given
    final List<ChildPartition> children = monthly("crn_metrics", "2025-11", 14);
    children.add(defaultChild("crn_metrics"));

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy(PartitionInterval.MONTH, 1, 12), children, NOW);

    // Then
    assertThat(plan.isNoOp()).isTrue();
  }

  @Test
  void shouldCreateAheadWhenLookaheadGrows() {
    // Given
    final List<ChildPartition> children = monthly("crn_metrics", "2026-11", 2);

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy(PartitionInterval.MONTH, 3, 12), children, NOW);

    // Then
    assertThat(plan.creates()).extracting(PlannedChild::name).containsExactly("crn_metrics_2027_01",
        "crn_metrics_2027_02");
  }

  @Test
  void shouldFillGapsWhenOlderChildExists() {
    // Given
    final List<ChildPartition> children = monthly("crn_metrics", "2026-08", 1);
    children.addAll(monthly("crn_metrics", "2026-11", 2));

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy(PartitionInterval.MONTH, 1, 12), children, NOW);

    // Then
    assertThat(plan.creates()).extracting(PlannedChild::name).containsExactly("crn_metrics_2026_09",
        "crn_metrics_2026_10");
  }

  @Test
  void shouldDropExactlyChildrenEndingAtOrBeforeCutoffWhenRetentionApplies() {
    // Given
    final List<ChildPartition> children = monthly("crn_metrics", "2025-09", 16);
    children.add(defaultChild("crn_metrics"));

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy(PartitionInterval.MONTH, 1, 12), children, NOW);

    // Then: cutoff 2025-11-01; 2025-10 ends exactly there and goes, 2025-11 stays
    assertThat(plan.drops()).extracting(ChildPartition::name).containsExactly("crn_metrics_2025_09",
        "crn_metrics_2025_10");
    assertThat(plan.creates()).isEmpty();
  }

  @Test
  void shouldNotRecreateBeforeCutoffWhenGapIsOlderThanRetention() {
    // Given
    final List<ChildPartition> children = monthly("crn_metrics", "2020-01", 1);
    children.addAll(monthly("crn_metrics", "2026-11", 2));

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy(PartitionInterval.MONTH, 1, 2), children, NOW);

    // Then
    assertThat(plan.drops()).extracting(ChildPartition::name).containsExactly("crn_metrics_2020_01");
    assertThat(plan.creates()).extracting(PlannedChild::name).containsExactly("crn_metrics_2026_09",
        "crn_metrics_2026_10");
  }

  @Test
  void shouldAddDailyChildrenBeyondMonthlyOnesWhenSwitchedToDays() {
    // Given
    final Instant now = Instant.parse("2027-01-28T08:00:00Z");
    final List<ChildPartition> children = monthly("ccn_metrics", "2026-12", 2);

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy("ccn_metrics", PartitionInterval.DAY, 7, 400),
        children, now);

    // Then
    assertThat(plan.creates()).extracting(PlannedChild::name).containsExactly("ccn_metrics_2027_02_01",
        "ccn_metrics_2027_02_02", "ccn_metrics_2027_02_03", "ccn_metrics_2027_02_04");
    assertNoOverlapAndContiguous(children, plan, Instant.parse("2026-12-01T00:00:00Z"),
        Instant.parse("2027-02-05T00:00:00Z"));
  }

  @Test
  void shouldFillPartlyCoveredMonthsWithDaysWhenSwitchedToMonths() {
    // Given: daily children 2027-12-30 .. 2028-01-06, then the table switches to months
    final Instant now = Instant.parse("2027-12-30T12:00:00Z");
    final List<ChildPartition> children = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      final Instant day = PartitionInterval.DAY.plus(now, i);
      children.add(child(PartitionInterval.DAY.childName("crn_metrics", day), day, PartitionInterval.DAY.plus(day, 1)));
    }

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy(PartitionInterval.MONTH, 2, 12), children, now);

    // Then
    assertThat(plan.creates()).extracting(PlannedChild::name)
        .contains("crn_metrics_2027_12_01", "crn_metrics_2027_12_29", "crn_metrics_2028_01_07",
            "crn_metrics_2028_01_31", "crn_metrics_2028_02")
        .doesNotContain("crn_metrics_2027_12", "crn_metrics_2028_01");
    assertThat(plan.notes()).anyMatch(n -> n.contains("partly covered"));
    assertNoOverlapAndContiguous(children, plan, Instant.parse("2027-12-01T00:00:00Z"),
        Instant.parse("2028-03-01T00:00:00Z"));
  }

  @Test
  void shouldChangeNothingWhenABoundCannotBeRead() {
    // Given
    final List<ChildPartition> children = monthly("crn_metrics", "2026-11", 1);
    children.add(new ChildPartition("crn_metrics_odd", Optional.empty(), "FOR VALUES FROM (x) TO (y)", 0, false));

    // When
    final PartitionPlan plan = PartitionPlanner.plan(policy(PartitionInterval.MONTH, 3, 0), children, NOW);

    // Then
    assertThat(plan.isNoOp()).isTrue();
    assertThat(plan.notes()).singleElement().asString().contains("crn_metrics_odd");
  }

  private static void assertNoOverlapAndContiguous(final List<ChildPartition> existing, final PartitionPlan plan,
      final Instant from, final Instant to) {
    final List<PartitionRange> all = new ArrayList<>(existing.stream().map(c -> c.range().get()).toList());
    all.addAll(plan.creates().stream().map(PlannedChild::range).toList());
    all.sort(Comparator.comparing(PartitionRange::lower));
    assertThat(all.get(0).lower()).isEqualTo(from);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).lower()).as("contiguous after %s", all.get(i - 1)).isEqualTo(all.get(i - 1).upper());
    }
    assertThat(all.get(all.size() - 1).upper()).isEqualTo(to);
  }

  private static PartitionPolicy policy(final PartitionInterval interval, final int lookahead, final int retention) {
    return policy("crn_metrics", interval, lookahead, retention);
  }

  private static PartitionPolicy policy(final String table, final PartitionInterval interval, final int lookahead,
      final int retention) {
    return new PartitionPolicy(table, interval, lookahead, OptionalInt.of(retention));
  }

  private static List<ChildPartition> monthly(final String table, final String firstMonth, final int count) {
    final List<ChildPartition> out = new ArrayList<>();
    final Instant first = Instant.parse(firstMonth + "-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      final Instant lower = PartitionInterval.MONTH.plus(first, i);
      out.add(child(PartitionInterval.MONTH.childName(table, lower), lower, PartitionInterval.MONTH.plus(lower, 1)));
    }
    return out;
  }

  private static ChildPartition child(final String name, final Instant lower, final Instant upper) {
    return new ChildPartition(name, Optional.of(new PartitionRange(lower, upper)), "FOR VALUES ...", 0, false);
  }

  private static ChildPartition defaultChild(final String table) {
    return new ChildPartition(table + "_default", Optional.empty(), "DEFAULT", 0, false);
  }
}
