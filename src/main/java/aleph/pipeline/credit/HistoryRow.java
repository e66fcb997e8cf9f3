package aleph.pipeline.credit;

/**
 * One credit_history row (DOMAIN 3.5), times in epoch microseconds. Empty strings are already NULL, as the
 * reference's CSV COPY makes them.
 */
public record HistoryRow(
    String address,
    long amount,
    String price,
    Long bonusAmount,
    String txHash,
    String token,
    String chain,
    String provider,
    String origin,
    String originRef,
    String paymentMethod,
    Long expenseCount,
    String expenseSizeMib,
    String creditRef,
    int creditIndex,
    Long expirationDate,
    long messageTimestamp) {

  static final String ALEPH = "ALEPH";
  static final String CREDIT_EXPENSE = "credit_expense";
  static final String CREDIT_TRANSFER = "credit_transfer";

  static HistoryRow transfer(final String address, final long amount, final String counterparty,
      final String creditRef, final int creditIndex, final Long expiration, final long messageTimestamp) {
    return new HistoryRow(address, amount, null, null, null, null, null, ALEPH, nullIfEmpty(counterparty), null,
        CREDIT_TRANSFER, null, null, creditRef, creditIndex, expiration, messageTimestamp);
  }

  static String nullIfEmpty(final String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
