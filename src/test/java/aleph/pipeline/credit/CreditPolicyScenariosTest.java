package aleph.pipeline.credit;

import static aleph.pipeline.credit.Payloads.at;
import static aleph.pipeline.credit.Payloads.grant;
import static aleph.pipeline.credit.Payloads.ms;
import static aleph.pipeline.credit.Payloads.spend;
import static aleph.pipeline.credit.Payloads.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import org.junit.jupiter.api.Test;

/**
 * DOMAIN 3.10, both columns: {@code emission-order} reproduces the reference ("merged", FIFO) and
 * {@code expiration-first} the bucket design (PR #1121 / #1123). Row 6 differs from the PR column by design:
 * eligibility is bounded by grant time under both policies (DESIGN 5.2); row 7 is a no-op under both (5.4).
 */
class CreditPolicyScenariosTest {

  private static final String A = "0xAddressA";
  private static final String R = "0xRecipient";
  private static final long BASE = 1_686_830_400L * 1_000_000L;
  private static final long HOUR = 3_600_000_000L;
  private static final long POST_CUTOFF = at("2026-03-01T00:00:00Z");

  private static long sec(final long seconds) {
    return seconds * 1_000_000L;
  }

  private static LedgerFixture fifoScenario1(final DrainPolicy policy) {
    final LedgerFixture fixture = new LedgerFixture(policy);
    fixture.distribute(BASE - sec(3600), grant(A, 1000, null));
    fixture.distribute(BASE - sec(1800), grant(A, 1000, (BASE - sec(300)) / 1000));
    fixture.expense(BASE - sec(600), spend(A, 1500));
    return fixture;
  }

  @Test
  void shouldLeaveZeroWhenFifoScenario1UnderEmissionOrder() {
    assertThat(fifoScenario1(DrainPolicy.EMISSION_ORDER).balance(A, BASE)).isZero();
  }

  @Test
  void shouldLeave500NonExpiringWhenFifoScenario1UnderExpirationFirst() {
    assertThat(fifoScenario1(DrainPolicy.EXPIRATION_FIRST).balance(A, BASE)).isEqualTo(5_000_000L);
  }

  @Test
  void shouldLeave500UnderBothPoliciesWhenFifoScenario2GrantsExpiringFirst() {
    for (DrainPolicy policy : DrainPolicy.values()) {
      // Given
      final LedgerFixture fixture = new LedgerFixture(policy);
      fixture.distribute(BASE - sec(3600), grant(A, 1000, (BASE - sec(300)) / 1000));
      fixture.distribute(BASE - sec(1800), grant(A, 1000, null));

      // When
      fixture.expense(BASE - sec(600), spend(A, 1500));

      // Then
      assertThat(fixture.balance(A, BASE)).as(policy.name()).isEqualTo(5_000_000L);
    }
  }

  private static LedgerFixture partialConsumption(final DrainPolicy policy) {
    final LedgerFixture fixture = new LedgerFixture(policy);
    fixture.distribute(POST_CUTOFF, grant(A, 1000, null));
    fixture.distribute(POST_CUTOFF + HOUR, grant(A, 500, ms("2026-09-01T00:00:00Z")));
    fixture.expense(POST_CUTOFF + 2 * HOUR, spend(A, 700));
    return fixture;
  }

  @Test
  void shouldKeepExpiringBucketWhenPartialConsumptionUnderEmissionOrder() {
    // When
    final Balance balance = partialConsumption(DrainPolicy.EMISSION_ORDER).ledger.balance(A, POST_CUTOFF + 3 * HOUR);

    // Then
    assertThat(balance.total()).isEqualTo(800);
    assertThat(balance.buckets()).containsExactly(new Balance.Bucket(null, 300),
        new Balance.Bucket(at("2026-09-01T00:00:00Z"), 500));
  }

  @Test
  void shouldKeepOnlyNonExpiringWhenPartialConsumptionUnderExpirationFirst() {
    // When
    final Balance balance = partialConsumption(DrainPolicy.EXPIRATION_FIRST).ledger.balance(A,
        POST_CUTOFF + 3 * HOUR);

    // Then
    assertThat(balance.total()).isEqualTo(800);
    assertThat(balance.buckets()).containsExactly(new Balance.Bucket(null, 800));
  }

  private static Balance detailsMatchTotal(final DrainPolicy policy) {
    final LedgerFixture fixture = new LedgerFixture(policy);
    fixture.distribute(POST_CUTOFF, grant(A, 1000, null));
    fixture.distribute(POST_CUTOFF + HOUR, grant(A, 800, ms("2026-09-01T00:00:00Z")));
    fixture.distribute(POST_CUTOFF + 2 * HOUR, grant(A, 600, ms("2026-12-01T00:00:00Z")));
    fixture.expense(POST_CUTOFF + 3 * HOUR, spend(A, 1200));
    return fixture.ledger.balance(A, POST_CUTOFF + 4 * HOUR);
  }

  @Test
  void shouldDrainOldestGrantsWhenDetailsMatchTotalUnderEmissionOrder() {
    // When
    final Balance balance = detailsMatchTotal(DrainPolicy.EMISSION_ORDER);

    // Then
    assertThat(balance.total()).isEqualTo(1200);
    assertThat(balance.buckets()).containsExactly(new Balance.Bucket(at("2026-09-01T00:00:00Z"), 600),
        new Balance.Bucket(at("2026-12-01T00:00:00Z"), 600));
    assertThat(balance.buckets().stream().mapToLong(Balance.Bucket::amount).sum()).isEqualTo(balance.total());
  }

  @Test
  void shouldDrainSoonestExpiringWhenDetailsMatchTotalUnderExpirationFirst() {
    // When
    final Balance balance = detailsMatchTotal(DrainPolicy.EXPIRATION_FIRST);

    // Then
    assertThat(balance.total()).isEqualTo(1200);
    assertThat(balance.buckets()).containsExactly(new Balance.Bucket(null, 1000),
        new Balance.Bucket(at("2026-12-01T00:00:00Z"), 200));
    assertThat(balance.buckets().stream().mapToLong(Balance.Bucket::amount).sum()).isEqualTo(balance.total());
  }

  private static CreditLedger.Result drainsSoonestFirst(final DrainPolicy policy) {
    final LedgerFixture fixture = new LedgerFixture(policy);
    fixture.distribute(POST_CUTOFF, grant(A, 100, ms("2099-01-01T00:00:00Z")));
    fixture.distribute(POST_CUTOFF + HOUR, grant(A, 100, ms("2050-01-01T00:00:00Z")));
    // A transfer with no requested expiration shows the consumed slices, in consumption order.
    return fixture.transfer(A, POST_CUTOFF + 2 * HOUR, to(R, 150, null));
  }

  @Test
  void shouldConsumeInGrantOrderWhenDrainingUnderEmissionOrder() {
    assertThat(LedgerFixture.rowsOf(drainsSoonestFirst(DrainPolicy.EMISSION_ORDER), R))
        .extracting(HistoryRow::amount, HistoryRow::expirationDate)
        .containsExactly(tuple(100L, at("2099-01-01T00:00:00Z")), tuple(50L, at("2050-01-01T00:00:00Z")));
  }

  @Test
  void shouldConsumeSoonestFirstWhenDrainingUnderExpirationFirst() {
    assertThat(LedgerFixture.rowsOf(drainsSoonestFirst(DrainPolicy.EXPIRATION_FIRST), R))
        .extracting(HistoryRow::amount, HistoryRow::expirationDate)
        .containsExactly(tuple(100L, at("2050-01-01T00:00:00Z")), tuple(50L, at("2099-01-01T00:00:00Z")));
  }

  @Test
  void shouldKeepFutureGrantIntactUnderBothPoliciesWhenExpenseIsBackdated_design5_2() {
    for (DrainPolicy policy : DrainPolicy.values()) {
      // Given
      final LedgerFixture fixture = new LedgerFixture(policy);
      fixture.distribute(at("2024-06-01T00:00:00Z"), grant(A, 1000, null));

      // When
      fixture.expense(at("2024-05-01T00:00:00Z"), spend(A, 400));

      // Then
      assertThat(fixture.balance(A, at("2024-07-01T00:00:00Z"))).as(policy.name()).isEqualTo(10_000_000L);
    }
  }

  @Test
  void shouldIgnoreReplayedGrantUnderBothPolicies_design5_4() {
    for (DrainPolicy policy : DrainPolicy.values()) {
      // Given
      final CreditLedger ledger = new CreditLedger(LedgerRules.defaults(policy));
      final var payload = Payloads.distribution(grant(A, 1000, null));
      ledger.submit("ref-grant", CreditKind.DISTRIBUTION.postType(), Payloads.ISSUER, POST_CUTOFF, payload);

      // When
      final CreditLedger.Result replay = ledger.submit("ref-grant", CreditKind.DISTRIBUTION.postType(),
          Payloads.ISSUER, POST_CUTOFF, payload);

      // Then
      assertThat(replay.history()).isEmpty();
      assertThat(replay.steps()).extracting(s -> s.getValue().outcome()).containsOnly(LedgerStep.Outcome.REPLAY);
      assertThat(ledger.balance(A, POST_CUTOFF).total()).as(policy.name()).isEqualTo(1000);
    }
  }

  @Test
  void shouldReadZeroButKeepTheSliceUntilExpiryRunsWhenBucketHasExpired() {
    for (DrainPolicy policy : DrainPolicy.values()) {
      // Given
      final LedgerFixture fixture = new LedgerFixture(policy);
      fixture.distribute(POST_CUTOFF, grant(A, 1000, ms("2026-06-01T00:00:00Z")));

      // When
      final long afterExpiry = at("2026-07-01T00:00:00Z");

      // Then
      assertThat(fixture.balance(A, at("2026-05-01T00:00:00Z"))).isEqualTo(1000);
      assertThat(fixture.balance(A, afterExpiry)).isZero();
      assertThat(fixture.ledger.states().get(A).slices()).hasSize(1);
      assertThat(fixture.ledger.expire(afterExpiry)).containsEntry(A, 1000L);
      assertThat(fixture.ledger.states().get(A).slices()).isEmpty();
    }
  }
}
