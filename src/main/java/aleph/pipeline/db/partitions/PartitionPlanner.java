package aleph.pipeline.db.partitions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import aleph.pipeline.db.partitions.PartitionPlan.PlannedChild;

/**
 * Decides, without touching a database, which children a table needs.
 *
 * <p>The window is {@code [start, horizon)}: {@code horizon} is the end of the current period plus
 * {@code lookahead}; {@code start} is the earliest existing child's period (so gaps between old children are
 * filled; data already lives there), never before the current period's start when there is no older child,
 * and never before the retention cutoff (a child created there would be dropped again at once). Every period
 * of the window with no overlapping child becomes a planned child. A period partly covered by children of
 * another interval (the table's interval was switched) is never created over them: its uncovered day-aligned
 * gaps are filled with daily children, anything else is left to DEFAULT and noted. Retention drops every
 * bounded child whose upper bound is at or before the cutoff; DEFAULT is never dropped.
 */
public final class PartitionPlanner {

  /** A run creates at most this many children per table; the rest follow on the next run. */
  public static final int MAX_CREATES_PER_RUN = 500;

  private PartitionPlanner() {
  }

  public static PartitionPlan plan(final PartitionPolicy policy, final List<ChildPartition> children,
      final Instant now) {
    final List<String> notes = new ArrayList<>();
    final List<ChildPartition> unreadable = children.stream().filter(ChildPartition::isUnreadable).toList();
    if (!unreadable.isEmpty()) {
      notes.add("bounds of " + unreadable.stream().map(ChildPartition::name).toList()
          + " could not be read; " + policy.table() + " left unchanged");
      return new PartitionPlan(policy.table(), List.of(), List.of(), notes);
    }
    final List<PartitionRange> existing = children.stream()
        .filter(c -> c.range().isPresent() && !c.detachPending())
        .map(c -> c.range().get())
        .sorted(Comparator.comparing(PartitionRange::lower, Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
    final Optional<Instant> cutoff = policy.cutoff(now);

    final List<ChildPartition> drops = children.stream()
        .filter(c -> c.range().isPresent() && cutoff.isPresent() && c.range().get().endsAtOrBefore(cutoff.get()))
        .toList();

    final PartitionInterval interval = policy.interval();
    Instant start = policy.currentPeriod(now);
    for (PartitionRange range : existing) {
      if (range.lower() != null && range.lower().isBefore(start)) {
        start = interval.floor(range.lower());
      }
    }
    if (cutoff.isPresent() && cutoff.get().isAfter(start)) {
      start = cutoff.get();
    }
    final Instant horizon = policy.horizon(now);

    final List<PlannedChild> creates = new ArrayList<>();
    for (Instant period = start; period.isBefore(horizon) && creates.size() < MAX_CREATES_PER_RUN;
        period = interval.plus(period, 1)) {
      final PartitionRange range = new PartitionRange(period, interval.plus(period, 1));
      final List<PartitionRange> overlapping = existing.stream().filter(range::overlaps).toList();
      if (overlapping.isEmpty()) {
        creates.add(new PlannedChild(interval.childName(policy.table(), period), range));
      } else if (overlapping.stream().noneMatch(r -> r.covers(range))) {
        fillGaps(policy.table(), range, overlapping, creates, notes);
      }
    }
    if (creates.size() >= MAX_CREATES_PER_RUN) {
      notes.add(policy.table() + ": more than " + MAX_CREATES_PER_RUN + " children missing; the rest follow next run");
    }
    return new PartitionPlan(policy.table(), List.copyOf(creates), drops, notes);
  }

  // The parts of a partly covered period that no child holds, as daily children where they fall on day bounds.
  private static void fillGaps(final String table, final PartitionRange period, final List<PartitionRange> overlapping,
      final List<PlannedChild> creates, final List<String> notes) {
    Instant cursor = period.lower();
    final List<PartitionRange> gaps = new ArrayList<>();
    for (PartitionRange taken : overlapping) {
      if (taken.lower() != null && taken.lower().isAfter(cursor)) {
        gaps.add(new PartitionRange(cursor, taken.lower()));
      }
      if (taken.upper() == null || !taken.upper().isBefore(period.upper())) {
        cursor = period.upper();
        break;
      }
      if (taken.upper().isAfter(cursor)) {
        cursor = taken.upper();
      }
    }
    if (cursor.isBefore(period.upper())) {
      gaps.add(new PartitionRange(cursor, period.upper()));
    }
    for (PartitionRange gap : gaps) {
      if (PartitionInterval.DAY.isAligned(gap.lower()) && PartitionInterval.DAY.isAligned(gap.upper())) {
        for (Instant day = gap.lower(); day.isBefore(gap.upper()); day = PartitionInterval.DAY.plus(day, 1)) {
          creates.add(new PlannedChild(PartitionInterval.DAY.childName(table, day),
              new PartitionRange(day, PartitionInterval.DAY.plus(day, 1))));
        }
        notes.add(table + ": period " + period + " is partly covered by children of another interval; gap " + gap
            + " filled with daily children");
      } else {
        notes.add(table + ": gap " + gap + " of period " + period + " is not day-aligned; its rows go to DEFAULT");
      }
    }
  }
}
