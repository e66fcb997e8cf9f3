package aleph.pipeline.credit;

import java.math.BigDecimal;
import java.util.List;

/** Validated payloads of the three credit POST types (DOMAIN 3.2); amounts are raw, before the multiplier. */
public sealed interface CreditContent {

  /** {@code {"distribution": {"credits": [...], "token", "chain"}}}. */
  record Distribution(List<DistributionEntry> credits, String token, String chain) implements CreditContent {
  }

  /** One distributed grant; {@code expiration} in epoch milliseconds, null or 0 = never. */
  record DistributionEntry(String address, long amount, String price, String txHash, String provider,
      Long expiration, String origin, String ref, String paymentMethod, Long bonusAmount) {
  }

  /** {@code {"expense": {"credits": [...]}}}. */
  record Expense(List<ExpenseEntry> credits) implements CreditContent {
  }

  /** One debit; {@code time} is validated but not persisted, as in the reference. */
  record ExpenseEntry(String address, long amount, String ref, String executionId, String nodeId, String price,
      Double time, Long count, BigDecimal size) {
  }

  /** {@code {"transfer": {"credits": [...]}}}. */
  record Transfer(List<TransferEntry> credits) implements CreditContent {
  }

  /** One recipient; {@code expiration} in epoch milliseconds, null or 0 = never. */
  record TransferEntry(String address, long amount, Long expiration) {
  }
}
