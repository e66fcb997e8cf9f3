package aleph.pipeline.credit;

import static aleph.pipeline.credit.Payloads.at;
import static aleph.pipeline.credit.Payloads.grant;
import static aleph.pipeline.credit.Payloads.ms;
import static aleph.pipeline.credit.Payloads.spend;
import static aleph.pipeline.credit.Payloads.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Counterparts of the reference's {@code tests/db/test_credit_balances.py} and the credit cases of
 * {@code test_process_posts.py} (DOMAIN section 5). Names ending in {@code _design5_N} assert the outcome
 * DESIGN.md section 5 decision N gives where it differs from the reference.
 */
class CreditLedgerTest {

  private static final String ISSUER = Payloads.ISSUER;
  private static final String SENDER = "0xRegularSender123456789012345678901234567890";
  private static final String RECIPIENT = "0xRecipient12345678901234567890123456789012345";
  private static final long T2023 = at("2023-01-01T00:00:00Z");
  private static final long POST_CUTOFF = at("2026-03-02T00:00:00Z");
  private static final long X = ms("2100-01-01T00:00:00Z");
  private static final long Y = ms("2101-01-01T00:00:00Z");
  private static final long Z = ms("2099-01-01T00:00:00Z");

  private final LedgerFixture fixture = new LedgerFixture(DrainPolicy.EXPIRATION_FIRST);

  // ---- writers ----

  @Test
  void shouldMapEveryColumnWhenDistributionIsWritten() {
    // Given
    final ObjectNode entry = grant(RECIPIENT, 1000, 1_700_000_000_000L);
    entry.put("origin", "test-origin");
    entry.put("ref", "origin-ref");
    entry.put("payment_method", "crypto");
    entry.put("bonus_amount", 50);

    // When
    final CreditLedger.Result result = fixture.distribute(T2023, entry);

    // Then
    assertThat(result.history()).singleElement().satisfies(row -> {
      assertThat(row.address()).isEqualTo(RECIPIENT);
      assertThat(row.amount()).isEqualTo(10_000_000L);
      assertThat(row.price()).isEqualTo("0.5");
      assertThat(row.bonusAmount()).isEqualTo(50L);
      assertThat(row.txHash()).isEqualTo("0xtx");
      assertThat(row.token()).isEqualTo("ALEPH");
      assertThat(row.chain()).isEqualTo("ETH");
      assertThat(row.provider()).isEqualTo("test");
      assertThat(row.origin()).isEqualTo("test-origin");
      assertThat(row.originRef()).isEqualTo("origin-ref");
      assertThat(row.paymentMethod()).isEqualTo("crypto");
      assertThat(row.creditIndex()).isZero();
      assertThat(row.expirationDate()).isEqualTo(1_700_000_000_000_000L);
      assertThat(row.messageTimestamp()).isEqualTo(T2023);
      assertThat(row.expenseCount()).isNull();
      assertThat(row.expenseSizeMib()).isNull();
    });
    assertThat(fixture.balance(RECIPIENT, at("2023-06-01T00:00:00Z"))).isEqualTo(10_000_000L);
    assertThat(fixture.balance(RECIPIENT, at("2023-12-01T00:00:00Z"))).isZero();
  }

  @Test
  void shouldWriteNegativeRowWithAlephProviderWhenExpenseIsWritten() {
    // Given
    final ObjectNode entry = spend(SENDER, 500);
    entry.put("ref", "ref123");

    // When
    final CreditLedger.Result result = fixture.expense(T2023, entry);

    // Then
    assertThat(result.history()).singleElement().satisfies(row -> {
      assertThat(row.amount()).isEqualTo(-5_000_000L);
      assertThat(row.provider()).isEqualTo("ALEPH");
      assertThat(row.paymentMethod()).isEqualTo("credit_expense");
      assertThat(row.originRef()).isEqualTo("ref123");
      assertThat(row.price()).isNull();
      assertThat(row.txHash()).isNull();
      assertThat(row.token()).isNull();
      assertThat(row.chain()).isNull();
      assertThat(row.origin()).isNull();
      assertThat(row.expirationDate()).isNull();
      assertThat(row.expenseCount()).isNull();
      assertThat(row.expenseSizeMib()).isNull();
    });
  }

  @Test
  void shouldKeepCountAndSizeWithoutMultiplierWhenV2ExpenseIsPostCutoff() {
    // Given
    final ObjectNode entry = spend(SENDER, 500);
    entry.put("ref", "storage");
    entry.put("count", 12);
    entry.put("size", 2048.5);
    entry.put("time", 3600.0);

    // When
    final CreditLedger.Result result = fixture.expense(POST_CUTOFF, entry);

    // Then
    assertThat(result.history()).singleElement().satisfies(row -> {
      assertThat(row.amount()).isEqualTo(-500L);
      assertThat(row.expenseCount()).isEqualTo(12L);
      assertThat(row.expenseSizeMib()).isEqualTo("2048.5");
    });
  }

  @Test
  void shouldMapNodeIdAndExecutionIdWhenExpenseHasNewFields() {
    // Given
    final ObjectNode entry = spend(SENDER, 500);
    entry.put("node_id", "node1");
    entry.put("execution_id", "exec1");
    entry.put("price", 0.001);

    // When
    final CreditLedger.Result result = fixture.expense(T2023, entry);

    // Then
    assertThat(result.history()).singleElement().satisfies(row -> {
      assertThat(row.txHash()).isEqualTo("node1");
      assertThat(row.origin()).isEqualTo("exec1");
      assertThat(row.price()).isEqualTo("0.001");
    });
  }

  @Test
  void shouldWriteRecipientThenSenderRowWhenFundedSenderTransfers() {
    // Given
    fixture.distribute(T2023, grant(SENDER, 1000, X));

    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, T2023 + 1, to(RECIPIENT, 250, X));

    // Then
    assertThat(result.history()).hasSize(2);
    assertThat(result.history().get(0)).satisfies(row -> {
      assertThat(row.address()).isEqualTo(RECIPIENT);
      assertThat(row.amount()).isEqualTo(2_500_000L);
      assertThat(row.creditIndex()).isZero();
      assertThat(row.expirationDate()).isEqualTo(X * 1000);
      assertThat(row.origin()).isEqualTo(SENDER);
      assertThat(row.originRef()).isNull();
      assertThat(row.provider()).isEqualTo("ALEPH");
      assertThat(row.paymentMethod()).isEqualTo("credit_transfer");
    });
    assertThat(result.history().get(1)).satisfies(row -> {
      assertThat(row.address()).isEqualTo(SENDER);
      assertThat(row.amount()).isEqualTo(-2_500_000L);
      assertThat(row.creditIndex()).isEqualTo(1);
      assertThat(row.origin()).isEqualTo(RECIPIENT);
      assertThat(row.expirationDate()).isNull();
    });
  }

  @Test
  void shouldMintOnlyRecipientRowWhenSenderIsWhitelisted() {
    // When
    final CreditLedger.Result result = fixture.transfer(ISSUER, T2023, to(RECIPIENT, 500, null));

    // Then
    assertThat(result.history()).singleElement().satisfies(row -> {
      assertThat(row.address()).isEqualTo(RECIPIENT);
      assertThat(row.amount()).isEqualTo(5_000_000L);
      assertThat(row.creditIndex()).isZero();
      assertThat(row.origin()).isEqualTo(ISSUER);
    });
    assertThat(fixture.balance(RECIPIENT, T2023)).isEqualTo(5_000_000L);
  }

  @Test
  void shouldInterleaveRecipientAndSenderIndicesWhenFundedSenderPaysThreeRecipients() {
    // Given
    fixture.distribute(T2023, grant(SENDER, 1000, null));

    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, T2023 + 1, to("0xR1", 100, null),
        to("0xR2", 200, null), to("0xR3", 300, null));

    // Then
    assertThat(result.history()).extracting(HistoryRow::address, HistoryRow::creditIndex, HistoryRow::amount)
        .containsExactlyInAnyOrder(
            tuple("0xR1", 0, 1_000_000L), tuple(SENDER, 1, -1_000_000L),
            tuple("0xR2", 2, 2_000_000L), tuple(SENDER, 3, -2_000_000L),
            tuple("0xR3", 4, 3_000_000L), tuple(SENDER, 5, -3_000_000L));
  }

  // ---- validation (transfer balance check) ----

  @Test
  void shouldAcceptUpToTheBalanceAndRejectBeyondItWhenValidatingTransfers() {
    for (long amount : new long[] {5_000_000L, 4_000_000L, 6_000_000L, 10_000_000L}) {
      // Given
      final LedgerFixture fresh = new LedgerFixture(DrainPolicy.EXPIRATION_FIRST);
      fresh.distribute(POST_CUTOFF, grant(SENDER, 5_000_000L, null));

      // When
      final CreditLedger.Result result = fresh.transfer(SENDER, POST_CUTOFF + 1, to(RECIPIENT, amount, null));

      // Then
      if (amount <= 5_000_000L) {
        assertThat(result.rejection()).as("amount %d", amount).isNull();
      } else {
        assertThat(result.rejection().code()).as("amount %d", amount).isEqualTo(RejectionCode.INSUFFICIENT_BALANCE);
        assertThat(result.rejection().message()).isEqualTo("Insufficient credit balance for transfer. Required: "
            + amount + ", Available: 5000000");
      }
    }
  }

  @Test
  void shouldValidateAgainstCreditsEligibleAtMessageTimeWithMultipliedAmounts_design5_3() {
    for (long amount : new long[] {200, 300}) {
      // Given an expired 800 and a valid 200 (pre-cutoff: x10,000)
      final LedgerFixture fresh = new LedgerFixture(DrainPolicy.EXPIRATION_FIRST);
      fresh.distribute(T2023, grant(SENDER, 800, ms("2023-02-01T00:00:00Z")));
      fresh.distribute(T2023, grant(SENDER, 200, null));
      final long when = at("2023-03-01T00:00:00Z");
      assertThat(fresh.balance(SENDER, when)).isEqualTo(2_000_000L);

      // When
      final CreditLedger.Result result = fresh.transfer(SENDER, when, to(RECIPIENT, amount, null));

      // Then
      if (amount == 200) {
        assertThat(result.rejection()).isNull();
        assertThat(fresh.balance(RECIPIENT, when)).isEqualTo(2_000_000L);
      } else {
        assertThat(result.rejection().message())
            .isEqualTo("Insufficient credit balance for transfer. Required: 3000000, Available: 2000000");
      }
    }
  }

  @Test
  void shouldRejectTransferThatOnlyALaterGrantCouldFund_design5_3() {
    // Given a grant dated after the transfer
    fixture.distribute(T2023 + 10, grant(SENDER, 1000, null));

    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, T2023, to(RECIPIENT, 100, null));

    // Then
    assertThat(result.rejection().message())
        .isEqualTo("Insufficient credit balance for transfer. Required: 1000000, Available: 0");
    assertThat(fixture.balance(RECIPIENT, T2023 + 20)).isZero();
  }

  @Test
  void shouldRejectTransferFundedOnlyByCreditsExpiredAtMessageTime_design5_3() {
    // Given
    fixture.distribute(T2023, grant(SENDER, 1000, ms("2023-02-01T00:00:00Z")));

    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, at("2023-03-01T00:00:00Z"), to(RECIPIENT, 1, null));

    // Then
    assertThat(result.rejection().code()).isEqualTo(RejectionCode.INSUFFICIENT_BALANCE);
  }

  @Test
  void shouldApplyEveryEntryWhenOneExpenseDebitsTheSameAddressTwice() {
    // Given
    fixture.distribute(POST_CUTOFF, grant(SENDER, 2000, null));
    final ObjectNode v2 = spend(SENDER, 500);
    v2.put("count", 42);

    // When
    final CreditLedger.Result result = fixture.expense(POST_CUTOFF + 1, spend(SENDER, 500), v2);

    // Then
    assertThat(result.history()).extracting(HistoryRow::creditIndex, HistoryRow::amount, HistoryRow::expenseCount)
        .containsExactly(tuple(0, -500L, null), tuple(1, -500L, 42L));
    assertThat(fixture.balance(SENDER, POST_CUTOFF + 1)).isEqualTo(1000);
  }

  @Test
  void shouldForgetTheOldestRefWhenAnAddressExceedsItsAppliedRefsBound() {
    // Given an address that remembers two refs
    final CreditLedger bounded = new CreditLedger(new LedgerRules(Set.of(ISSUER),
        DrainPolicy.EXPIRATION_FIRST, LedgerRules.DEFAULT_CUTOFF_SECONDS * 1_000_000L, 10_000L, 2));
    final ObjectNode payload = Payloads.distribution(grant(SENDER, 1, null));
    for (String ref : List.of("r1", "r2", "r3")) {
      bounded.submit(ref, CreditKind.DISTRIBUTION.postType(), ISSUER, POST_CUTOFF, payload);
    }

    // When
    final CreditLedger.Result recent = bounded.submit("r3", CreditKind.DISTRIBUTION.postType(), ISSUER,
        POST_CUTOFF, payload);
    final CreditLedger.Result forgotten = bounded.submit("r1", CreditKind.DISTRIBUTION.postType(), ISSUER,
        POST_CUTOFF, payload);

    // Then
    assertThat(recent.history()).isEmpty();
    assertThat(forgotten.history()).hasSize(1);
    assertThat(bounded.states().get(SENDER).appliedRefs()).containsExactly("r3", "r1");
  }

  // ---- DB-level edge cases become rejections ----

  @Test
  void shouldRejectNotMintWhenUnfundedSenderPaysThreeRecipients_design5_3() {
    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, T2023, to("0xR1", 100, null), to("0xR2", 200, null),
        to("0xR3", 300, null));

    // Then
    assertThat(result.rejection().code()).isEqualTo(RejectionCode.INSUFFICIENT_BALANCE);
    assertThat(result.history()).isEmpty();
    assertThat(fixture.ledger.states()).doesNotContainKeys("0xR1", "0xR2", "0xR3");
  }

  @Test
  void shouldRejectPartiallyFundedTransferInsteadOfShortChangingRecipient_design5_3() {
    // Given
    fixture.distribute(T2023, grant(SENDER, 100, null));

    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, T2023 + 1, to(RECIPIENT, 150, null));

    // Then
    assertThat(result.rejection().code()).isEqualTo(RejectionCode.INSUFFICIENT_BALANCE);
    assertThat(fixture.balance(SENDER, T2023 + 1)).isEqualTo(1_000_000L);
  }

  @Test
  void shouldRejectZeroAmountAsInvalidContentWhereTheReferenceWroteZeroRows() {
    // When
    final CreditLedger.Result result = fixture.transfer(ISSUER, T2023, to(RECIPIENT, 0, null));

    // Then
    assertThat(result.rejection().code()).isEqualTo(RejectionCode.INVALID_CONTENT);
    assertThat(result.rejection().message()).contains("greater than 0");
    assertThat(result.history()).isEmpty();
  }

  @Test
  void shouldRejectSelfTransferWhereTheReferenceWriterWroteBothRows() {
    // Given
    fixture.distribute(T2023, grant(SENDER, 1000, null));

    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, T2023 + 1, to(SENDER, 250, null));

    // Then
    assertThat(result.rejection()).isEqualTo(new Rejection(RejectionCode.SELF_TRANSFER,
        "Self-transfer not allowed: sender and recipient are both " + SENDER));
    assertThat(fixture.balance(SENDER, T2023 + 1)).isEqualTo(10_000_000L);
  }

  // ---- balance arithmetic and drain bounds ----

  @Test
  void shouldKeepValidCreditsArithmeticWhenExpenseThenTransferFollowGrant() {
    // Given
    fixture.distribute(T2023, grant(SENDER, 1000, null));
    assertThat(fixture.balance(SENDER, T2023)).isEqualTo(10_000_000L);

    // When
    fixture.expense(T2023 + 1, spend(SENDER, 300));
    final long afterExpense = fixture.balance(SENDER, T2023 + 1);
    fixture.transfer(SENDER, T2023 + 2, to(RECIPIENT, 200, null));

    // Then
    assertThat(afterExpense).isEqualTo(7_000_000L);
    assertThat(fixture.balance(SENDER, T2023 + 2)).isEqualTo(5_000_000L);
  }

  @Test
  void shouldReadTheGrantUntilItExpiresAndZeroAfter() {
    // Given
    final long t1 = at("2023-01-01T00:00:00Z");
    fixture.distribute(t1, grant(SENDER, 1000, ms("2023-06-01T00:00:00Z")));

    // Then
    assertThat(fixture.balance(SENDER, at("2023-03-01T00:00:00Z"))).isEqualTo(10_000_000L);
    assertThat(fixture.balance(SENDER, at("2023-07-01T00:00:00Z"))).isZero();
    assertThat(fixture.ledger.states().get(SENDER).slices()).singleElement()
        .satisfies(s -> assertThat(s.remaining()).isEqualTo(10_000_000L));
  }

  // ---- transfer expiration cap ----

  private HistoryRow singleRecipientRow(final Long sourceExpiration, final Long requested, final String sender) {
    if (!sender.equals(ISSUER)) {
      fixture.distribute(T2023, grant(sender, 1000, sourceExpiration));
    }
    final List<HistoryRow> rows = LedgerFixture.rowsOf(fixture.transfer(sender, T2023 + 1,
        to(RECIPIENT, 100, requested)), RECIPIENT);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  @Test
  void shouldPropagateSourceExpirationWhenNoneIsRequested() {
    assertThat(singleRecipientRow(X, null, SENDER).expirationDate()).isEqualTo(X * 1000);
  }

  @Test
  void shouldCapLaterRequestedExpirationToTheSource() {
    assertThat(singleRecipientRow(X, Y, SENDER).expirationDate()).isEqualTo(X * 1000);
  }

  @Test
  void shouldKeepEarlierRequestedExpiration() {
    assertThat(singleRecipientRow(X, Z, SENDER).expirationDate()).isEqualTo(Z * 1000);
  }

  @Test
  void shouldNotConstrainExpirationWhenSenderIsWhitelisted() {
    assertThat(singleRecipientRow(null, Y, ISSUER).expirationDate()).isEqualTo(Y * 1000);
  }

  @Test
  void shouldSplitRecipientRowsByExpirationUnderBothPoliciesWhenCreditsAreMixed() {
    for (DrainPolicy policy : DrainPolicy.values()) {
      // Given
      final LedgerFixture mixed = new LedgerFixture(policy);
      mixed.distribute(T2023, grant(SENDER, 100, X));
      mixed.distribute(T2023 + 1, grant(SENDER, 200, null));

      // When
      final CreditLedger.Result result = mixed.transfer(SENDER, T2023 + 2, to(RECIPIENT, 250, null));

      // Then
      assertThat(LedgerFixture.rowsOf(result, RECIPIENT)).as(policy.name())
          .extracting(HistoryRow::amount, HistoryRow::expirationDate)
          .containsExactly(tuple(1_000_000L, X * 1000), tuple(1_500_000L, null));
      assertThat(mixed.balance(RECIPIENT, X * 1000 + 1)).isEqualTo(1_500_000L);
    }
  }

  @Test
  void shouldCapAndMergeAlongAChainOfTransfers() {
    // Given
    final String a = "0xA";
    final String b = "0xB";
    final String c = "0xC";
    final long exp2200 = ms("2200-01-01T00:00:00Z");
    fixture.distribute(T2023, grant(a, 100, null));
    fixture.distribute(T2023, grant(a, 100, null));

    // When
    final CreditLedger.Result ab = fixture.transfer(a, T2023 + 1, to(b, 150, exp2200));
    final CreditLedger.Result bc = fixture.transfer(b, T2023 + 2, to(c, 50, X));

    // Then
    assertThat(LedgerFixture.rowsOf(ab, b)).extracting(HistoryRow::amount, HistoryRow::expirationDate)
        .containsExactly(tuple(1_500_000L, exp2200 * 1000));
    assertThat(LedgerFixture.rowsOf(bc, c)).extracting(HistoryRow::amount, HistoryRow::expirationDate)
        .containsExactly(tuple(500_000L, X * 1000));
    final long beforeX = X * 1000 - 1;
    final long between = X * 1000 + 1;
    final long after2200 = exp2200 * 1000 + 1;
    assertThat(fixture.balance(a, after2200)).isEqualTo(500_000L);
    assertThat(fixture.balance(b, between)).isEqualTo(1_000_000L);
    assertThat(fixture.balance(b, after2200)).isZero();
    assertThat(fixture.balance(c, beforeX)).isEqualTo(500_000L);
    assertThat(fixture.balance(c, between)).isZero();
  }

  // ---- balance details ----

  @Test
  void shouldSumNonExpiringGrantsIntoOneBucket() {
    // Given
    fixture.distribute(POST_CUTOFF, grant(SENDER, 1000, null));
    fixture.distribute(POST_CUTOFF, grant(SENDER, 2000, null));

    // Then
    assertThat(fixture.ledger.balance(SENDER, POST_CUTOFF))
        .isEqualTo(new Balance(3000, List.of(new Balance.Bucket(null, 3000))));
  }

  @Test
  void shouldListNonExpiringFirstThenAscendingWhenExpirationsAreMixed() {
    // Given
    final long exp1 = ms("2027-01-01T00:00:00Z");
    final long exp2 = ms("2028-01-01T00:00:00Z");
    fixture.distribute(POST_CUTOFF, grant(SENDER, 300, exp2));
    fixture.distribute(POST_CUTOFF, grant(SENDER, 500, exp1));
    fixture.distribute(POST_CUTOFF, grant(SENDER, 1000, null));

    // Then
    assertThat(fixture.ledger.balance(SENDER, POST_CUTOFF)).isEqualTo(new Balance(1800, List.of(
        new Balance.Bucket(null, 1000), new Balance.Bucket(exp1 * 1000, 500), new Balance.Bucket(exp2 * 1000, 300))));
  }

  @Test
  void shouldReportZeroAndNoBucketsWhenFullyConsumed() {
    // Given
    fixture.distribute(POST_CUTOFF, grant(SENDER, 1000, null));

    // When
    fixture.expense(POST_CUTOFF + 1, spend(SENDER, 1000));

    // Then
    assertThat(fixture.ledger.balance(SENDER, POST_CUTOFF + 2)).isEqualTo(Balance.EMPTY);
  }

  @Test
  void shouldLeaveExpiredBucketOutOfDetails() {
    // Given
    final long future = ms("2027-01-01T00:00:00Z");
    fixture.distribute(POST_CUTOFF, grant(SENDER, 1000, ms("2026-04-01T00:00:00Z")));
    fixture.distribute(POST_CUTOFF, grant(SENDER, 200, null));
    fixture.distribute(POST_CUTOFF, grant(SENDER, 500, future));

    // Then
    assertThat(fixture.ledger.balance(SENDER, at("2026-05-01T00:00:00Z"))).isEqualTo(new Balance(700, List.of(
        new Balance.Bucket(null, 200), new Balance.Bucket(future * 1000, 500))));
  }

  @Test
  void shouldReadEmptyBalanceWhenAddressHasNoHistory() {
    assertThat(fixture.ledger.balance("0xNobody", POST_CUTOFF)).isEqualTo(new Balance(0, List.of()));
  }

  // ---- test_process_posts.py credit cases ----

  @Test
  void shouldProcessNonWhitelistedTransferWhenSenderIsFunded() {
    // Given
    fixture.distribute(at("2022-01-01T00:00:00Z"), grant(SENDER, 1000, null));
    final long t = 1_651_050_219L * 1_000_000L;
    final long before = fixture.balance(SENDER, t);

    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, t, to(RECIPIENT, 100, null));

    // Then
    assertThat(result.history()).extracting(HistoryRow::address, HistoryRow::amount)
        .containsExactly(tuple(RECIPIENT, 1_000_000L), tuple(SENDER, -1_000_000L));
    assertThat(before - fixture.balance(SENDER, t)).isEqualTo(1_000_000L);
  }

  @Test
  void shouldRejectTransferWithInsufficientBalanceWhenSenderIsUnfunded() {
    // When
    final CreditLedger.Result result = fixture.transfer(SENDER, 1_651_050_219L * 1_000_000L,
        to(RECIPIENT, 100, null));

    // Then
    assertThat(result.rejection().message()).startsWith("Insufficient credit balance");
  }

  @Test
  void shouldRejectAsNotWhitelistedRatherThanIgnoreSilentlyWhenDistributionSenderIsNotWhitelisted() {
    // When
    final CreditLedger.Result result = fixture.ledger.submit("ref-x", CreditKind.DISTRIBUTION.postType(), SENDER,
        T2023, Payloads.distribution(grant(RECIPIENT, 1000, null)));

    // Then
    assertThat(result.rejection().code()).isEqualTo(RejectionCode.NOT_WHITELISTED);
    assertThat(result.history()).isEmpty();
    assertThat(fixture.balance(RECIPIENT, T2023)).isZero();
  }

  @Test
  void shouldRejectExpenseWhenSenderIsNotWhitelisted() {
    // When
    final CreditLedger.Result result = fixture.ledger.submit("ref-y", CreditKind.EXPENSE.postType(), SENDER,
        T2023, Payloads.expense(spend(RECIPIENT, 10)));

    // Then
    assertThat(result.rejection().code()).isEqualTo(RejectionCode.NOT_WHITELISTED);
  }

  @Test
  void shouldRejectInvalidTransferContentWhenAmountsListOrRecipientsAreWrong() {
    // Given
    final ObjectNode lots = to(RECIPIENT, 1, null);
    lots.put("amount", "lots");
    final List<ObjectNode> payloads = List.of(
        Payloads.transfer(to(RECIPIENT, 0, null)),
        Payloads.transfer(to(RECIPIENT, -100, null)),
        Payloads.transfer(lots),
        Payloads.transfer());

    // When / Then
    for (ObjectNode payload : payloads) {
      final CreditLedger.Result result = fixture.ledger.submit(fixture.nextRef(), CreditKind.TRANSFER.postType(),
          SENDER, T2023, payload);
      assertThat(result.rejection().code()).as(payload.toString()).isEqualTo(RejectionCode.INVALID_CONTENT);
    }
    final CreditLedger.Result duplicate = fixture.transfer(SENDER, T2023, to(RECIPIENT, 1, null),
        to(RECIPIENT, 2, null));
    assertThat(duplicate.rejection().code()).isEqualTo(RejectionCode.DUPLICATE_RECIPIENT);
    assertThat(duplicate.rejection().message()).contains("Duplicate");
  }
}
