package aleph.pipeline.sink;

import static aleph.pipeline.sink.SinkFixtures.BASE_TIME;
import static aleph.pipeline.sink.SinkFixtures.SCORING_SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import aleph.pipeline.avro.credit.CreditBucket;

class RecordChecksTest {

  @Test
  void shouldAcceptRecordsWhenEveryValueFitsTheSchema() {
    // Given
    final var metric = SinkFixtures.crn("h", "node", BASE_TIME);
    final var message = SinkFixtures.accepted("h", SCORING_SENDER);

    // When
    final String metricProblem = RecordChecks.problem(metric);
    final String messageProblem = RecordChecks.problem(message);

    // Then
    assertThat(metricProblem).isNull();
    assertThat(messageProblem).isNull();
  }

  @Test
  void shouldNameTheFieldWhenTextHoldsANulCharacter() {
    // Given
    final var metric = SinkFixtures.crn("h", "no\u0000de", BASE_TIME);

    // When
    final String problem = RecordChecks.problem(metric);

    // Then
    assertThat(problem).contains("nodeId").contains("NUL");
  }

  @Test
  void shouldAllowAncientMeasuredAtWhenPostgresCanHoldItButRejectItBeforeItsRange() {
    // Given
    final var ancientButStorable = SinkFixtures.crn("h", "n", Instant.parse("-4000-01-01T00:00:00Z"));
    final var beforeRange = SinkFixtures.crn("h", "n", Instant.parse("-4713-11-23T23:59:59Z"));

    // When
    final String storable = RecordChecks.problem(ancientButStorable);
    final String outOfRange = RecordChecks.problem(beforeRange);

    // Then
    assertThat(storable).isNull();
    assertThat(outOfRange).contains("measuredAt").contains("outside");
  }

  @Test
  void shouldRejectNestedTimestampsWhenTheyLeaveTheFourDigitYearRange() {
    // Given
    final var balance = SinkFixtures.balance("a", List.of(new CreditBucket(Instant.parse("+12000-01-01T00:00:00Z"), 1L)));

    // When
    final String problem = RecordChecks.problem(balance);

    // Then
    assertThat(problem).contains("buckets[].expiration");
  }

  @Test
  void shouldRejectContentWhenItIsNotJsonOrHoldsAnEscapedNul() {
    // Given
    final var broken = SinkFixtures.accepted("h", SCORING_SENDER);
    broken.setContent("{\"a\": ");
    final var escapedNul = SinkFixtures.accepted("h", SCORING_SENDER);
    escapedNul.setContent("{\"a\": \"x\\u0000y\"}");

    // When
    final String brokenProblem = RecordChecks.problem(broken);
    final String nulProblem = RecordChecks.problem(escapedNul);

    // Then
    assertThat(brokenProblem).contains("not valid JSON");
    assertThat(nulProblem).contains("\\u0000");
  }

  @Test
  void shouldRejectHistoryWhenADecimalIsNotANumber() {
    // Given
    final var entry = SinkFixtures.history("a", "ref", 0, 5);
    entry.setPrice("12,5");

    // When
    final String problem = RecordChecks.problem(entry);

    // Then
    assertThat(problem).contains("price");
  }
}
