package aleph.pipeline.db.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class PartitionIntervalTest {

  // 1900-01-01 .. 2400-01-01: four-digit years, several leap-century rules (1900 no, 2000 yes, 2100 no).
  private static final long FROM = -2_208_988_800L;
  private static final long TO = 13_574_563_200L;

  @Property
  void shouldPlaceEveryInstantInsideItsPeriodWhenFloored(@ForAll @LongRange(min = FROM, max = TO) final long second,
      @ForAll final PartitionInterval interval) {
    // Given
    final Instant instant = Instant.ofEpochSecond(second);

    // When
    final PartitionRange period = interval.periodOf(instant);

    // Then
    assertThat(period.contains(instant)).isTrue();
    assertThat(interval.isAligned(period.lower())).isTrue();
    assertThat(interval.isAligned(period.upper())).isTrue();
    assertThat(interval.floor(period.lower())).isEqualTo(period.lower());
  }

  @Property
  void shouldYieldContiguousSortablePeriodsWhenStepping(@ForAll @LongRange(min = FROM, max = TO) final long second,
      @ForAll @IntRange(min = 1, max = 400) final int count, @ForAll final PartitionInterval interval) {
    // Given
    final Instant start = interval.floor(Instant.ofEpochSecond(second));

    // When
    final List<PartitionRange> periods = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      final Instant lower = interval.plus(start, i);
      periods.add(interval.periodOf(lower));
      names.add(interval.childName("crn_metrics", lower));
    }

    // Then
    for (int i = 1; i < count; i++) {
      assertThat(periods.get(i).lower()).isEqualTo(periods.get(i - 1).upper());
      assertThat(names.get(i)).isGreaterThan(names.get(i - 1));
    }
  }

  @Property
  void shouldSpanCalendarLengthsWhenMonthOrDay(@ForAll @LongRange(min = FROM, max = TO) final long second) {
    // Given
    final Instant instant = Instant.ofEpochSecond(second);
    final var date = instant.atZone(ZoneOffset.UTC).toLocalDate();

    // When
    final PartitionRange month = PartitionInterval.MONTH.periodOf(instant);
    final PartitionRange day = PartitionInterval.DAY.periodOf(instant);

    // Then
    assertThat(Duration.between(month.lower(), month.upper()).toDays())
        .isEqualTo(date.getMonth().length(Year.isLeap(date.getYear())));
    assertThat(Duration.between(day.lower(), day.upper())).isEqualTo(Duration.ofDays(1));
    assertThat(month.covers(day)).isTrue();
  }

  @Property
  void shouldComposeShiftsWhenAddingPeriodsTwice(@ForAll @LongRange(min = FROM, max = TO) final long second,
      @ForAll @IntRange(min = -500, max = 500) final int a, @ForAll @IntRange(min = -500, max = 500) final int b,
      @ForAll final PartitionInterval interval) {
    // Given
    final Instant instant = Instant.ofEpochSecond(second);

    // When
    final Instant stepwise = interval.plus(interval.plus(instant, a), b);

    // Then
    assertThat(stepwise).isEqualTo(interval.plus(instant, a + b));
  }

  @Property
  void shouldParseItsOwnNameBackWhenGivenAsPeriod(@ForAll @LongRange(min = FROM, max = TO) final long second,
      @ForAll final PartitionInterval interval) {
    // Given
    final PartitionRange period = interval.periodOf(Instant.ofEpochSecond(second));
    final String suffix = interval.childName("t", period.lower()).substring(2).replace('_', '-');

    // When
    final PartitionRange parsed = interval.parsePeriod(suffix);

    // Then
    assertThat(parsed).isEqualTo(period);
  }

  @Test
  void shouldCrossYearEndAndLeapDayWhenStepping() {
    // Given
    final Instant lateDecember = Instant.parse("2026-12-31T23:59:59.999Z");
    final Instant leapEve = Instant.parse("2028-02-28T10:00:00Z");

    // When / Then
    assertThat(PartitionInterval.MONTH.plus(lateDecember, 1)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(PartitionInterval.MONTH.childName("crn_metrics", PartitionInterval.MONTH.plus(lateDecember, 1)))
        .isEqualTo("crn_metrics_2027_01");
    assertThat(PartitionInterval.DAY.plus(lateDecember, 1)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(PartitionInterval.DAY.childName("ccn_metrics", PartitionInterval.DAY.plus(leapEve, 1)))
        .isEqualTo("ccn_metrics_2028_02_29");
    assertThat(PartitionInterval.MONTH.plus(Instant.parse("2026-01-31T00:00:00Z"), 1))
        .isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
  }

  @Test
  void shouldRejectUnknownIntervalWhenParsingConfig() {
    // Given / When / Then
    assertThat(PartitionInterval.parse(" Day ")).isEqualTo(PartitionInterval.DAY);
    assertThatThrownBy(() -> PartitionInterval.parse("week")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("month or day");
  }
}
