package aleph.pipeline.topology.credit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import aleph.pipeline.avro.credit.BalanceCause;
import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditBucket;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.credit.CreditRejection;
import aleph.pipeline.avro.credit.RejectionReason;
import aleph.pipeline.credit.Balance;
import aleph.pipeline.credit.HistoryRow;
import aleph.pipeline.credit.LedgerCommand;
import aleph.pipeline.credit.Rejection;

/** Conversions from the ledger domain (epoch microseconds) to the output Avro records. */
public final class CreditAvro {

  private CreditAvro() {
  }

  public static long micros(final Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  public static Instant instant(final long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  static Instant instantOrNull(final Long micros) {
    return micros == null ? null : instant(micros);
  }

  public static CreditHistoryEntry history(final HistoryRow row) {
    return CreditHistoryEntry.newBuilder()
        .setAddress(row.address())
        .setAmount(row.amount())
        .setPrice(row.price())
        .setBonusAmount(row.bonusAmount())
        .setTxHash(row.txHash())
        .setToken(row.token())
        .setChain(row.chain())
        .setProvider(row.provider())
        .setOrigin(row.origin())
        .setOriginRef(row.originRef())
        .setPaymentMethod(row.paymentMethod())
        .setExpenseCount(row.expenseCount())
        .setExpenseSizeMib(row.expenseSizeMib())
        .setCreditRef(row.creditRef())
        .setCreditIndex(row.creditIndex())
        .setExpirationDate(instantOrNull(row.expirationDate()))
        .setMessageTimestamp(instant(row.messageTimestamp()))
        .build();
  }

  public static CreditBalance balance(final String address, final Balance balance, final long asOf,
      final aleph.pipeline.credit.BalanceCause cause, final String causeRef) {
    final List<CreditBucket> buckets = balance.buckets().stream()
        .map(b -> new CreditBucket(instantOrNull(b.expiration()), b.amount()))
        .toList();
    return CreditBalance.newBuilder()
        .setAddress(address)
        .setTotal(balance.total())
        .setBuckets(buckets)
        .setAsOf(instant(asOf))
        .setCause(BalanceCause.valueOf(cause.name()))
        .setCauseRef(causeRef)
        .build();
  }

  public static CreditRejection rejection(final Rejection rejection, final String itemHash,
      final long messageTimestamp, final LedgerCommand.Origin origin) {
    return CreditRejection.newBuilder()
        .setReason(RejectionReason.valueOf(rejection.code().name()))
        .setMessage(rejection.message())
        .setItemHash(itemHash)
        .setPostType(origin.postType() == null ? "" : origin.postType())
        .setAddress(origin.owner() == null ? "" : origin.owner())
        .setMessageTimestamp(instant(messageTimestamp))
        .setSourceTopic(origin.topic())
        .setSourcePartition(origin.partition())
        .setSourceOffset(origin.offset())
        .build();
  }
}
