package aleph.pipeline.credit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The stateless half of the ledger: turns one credit message into the commands each address's ledger runs,
 * or into a rejection. Distribution and expense entries are grouped per address (keeping their credit_index);
 * a transfer stays whole and goes to its sender, which alone can check and drain its balance.
 */
public final class CreditPlanner {

  /** Python's datetime range, the bounds of {@code datetime.fromtimestamp(ms / 1000)}. */
  private static final long MIN_EXPIRATION_MS = -62_135_596_800_000L;
  private static final long MAX_EXPIRATION_MS = 253_402_300_799_999L;

  private CreditPlanner() {
  }

  /**
   * The outcome of planning: either a rejection or the commands (possibly none).
   *
   * @param rejection why the message was refused, or null
   * @param commands commands keyed by their {@link LedgerCommand#address()}
   */
  public record Plan(Rejection rejection, List<LedgerCommand> commands) {

    static Plan rejected(final Rejection rejection) {
      return new Plan(rejection, List.of());
    }
  }

  /**
   * Plans one credit message.
   *
   * @param rules the ledger configuration
   * @param creditRef the message item_hash
   * @param messageTimestamp POST content.time, epoch microseconds
   * @param payload POST content.content
   * @param origin post type, owner (content.address) and source coordinates
   */
  public static Plan plan(final LedgerRules rules, final String creditRef, final long messageTimestamp,
      final JsonNode payload, final LedgerCommand.Origin origin) {
    final Optional<CreditKind> kind = CreditKind.ofPostType(origin.postType());
    if (kind.isEmpty()) {
      return new Plan(null, List.of());
    }
    if (origin.owner() == null || origin.owner().isEmpty()) {
      return Plan.rejected(new Rejection(RejectionCode.INVALID_CONTENT, "Invalid credit " + kind.get().key()
          + " content: the POST has no content.address"));
    }
    try {
      return switch (kind.get()) {
        case DISTRIBUTION -> distribution(rules, creditRef, messageTimestamp, payload, origin);
        case EXPENSE -> expense(rules, creditRef, messageTimestamp, payload, origin);
        case TRANSFER -> transfer(rules, creditRef, messageTimestamp, payload, origin);
      };
    } catch (CreditContentException e) {
      return Plan.rejected(e.rejection());
    }
  }

  private static Plan distribution(final LedgerRules rules, final String creditRef, final long ts,
      final JsonNode payload, final LedgerCommand.Origin origin) {
    if (!rules.whitelisted(origin.owner())) {
      return Plan.rejected(notWhitelisted(CreditKind.DISTRIBUTION, origin.owner()));
    }
    final CreditContent.Distribution content =
        (CreditContent.Distribution) CreditContentParser.parse(CreditKind.DISTRIBUTION, payload);
    final Map<String, List<LedgerCommand.Effect>> byAddress = new LinkedHashMap<>();
    for (int i = 0; i < content.credits().size(); i++) {
      final CreditContent.DistributionEntry entry = content.credits().get(i);
      final long amount = multiplied(rules, CreditKind.DISTRIBUTION, entry.amount(), ts, i);
      final Long expiration = expirationMicros(CreditKind.DISTRIBUTION, entry.expiration(), i);
      final HistoryRow row = new HistoryRow(entry.address(), amount, HistoryRow.nullIfEmpty(entry.price().strip()),
          entry.bonusAmount(), HistoryRow.nullIfEmpty(entry.txHash()), HistoryRow.nullIfEmpty(content.token()),
          HistoryRow.nullIfEmpty(content.chain()), HistoryRow.nullIfEmpty(entry.provider()),
          HistoryRow.nullIfEmpty(entry.origin()), HistoryRow.nullIfEmpty(entry.ref()),
          HistoryRow.nullIfEmpty(entry.paymentMethod()), null, null, creditRef, i, expiration, ts);
      byAddress.computeIfAbsent(entry.address(), a -> new ArrayList<>())
          .add(new LedgerCommand.Effect(i, amount, expiration, row));
    }
    return applies(byAddress, creditRef, ts, origin, BalanceCause.GRANT);
  }

  private static Plan expense(final LedgerRules rules, final String creditRef, final long ts,
      final JsonNode payload, final LedgerCommand.Origin origin) {
    if (!rules.whitelisted(origin.owner())) {
      return Plan.rejected(notWhitelisted(CreditKind.EXPENSE, origin.owner()));
    }
    final CreditContent.Expense content =
        (CreditContent.Expense) CreditContentParser.parse(CreditKind.EXPENSE, payload);
    final Map<String, List<LedgerCommand.Effect>> byAddress = new LinkedHashMap<>();
    for (int i = 0; i < content.credits().size(); i++) {
      final CreditContent.ExpenseEntry entry = content.credits().get(i);
      final long amount = multiplied(rules, CreditKind.EXPENSE, entry.amount(), ts, i);
      // The row records the full intent even when the address cannot cover it (DOMAIN 3.6.2).
      final HistoryRow row = new HistoryRow(entry.address(), -amount,
          entry.price() == null ? null : HistoryRow.nullIfEmpty(entry.price().strip()), null,
          HistoryRow.nullIfEmpty(entry.nodeId()), null, null, HistoryRow.ALEPH,
          HistoryRow.nullIfEmpty(entry.executionId()), HistoryRow.nullIfEmpty(entry.ref()),
          HistoryRow.CREDIT_EXPENSE, entry.count(), entry.size() == null ? null : entry.size().toString(),
          creditRef, i, null, ts);
      byAddress.computeIfAbsent(entry.address(), a -> new ArrayList<>())
          .add(new LedgerCommand.Effect(i, -amount, null, row));
    }
    return applies(byAddress, creditRef, ts, origin, BalanceCause.EXPENSE);
  }

  private static Plan transfer(final LedgerRules rules, final String creditRef, final long ts,
      final JsonNode payload, final LedgerCommand.Origin origin) {
    final CreditContent.Transfer content =
        (CreditContent.Transfer) CreditContentParser.parse(CreditKind.TRANSFER, payload);
    final String sender = origin.owner();
    final List<LedgerCommand.Recipient> recipients = new ArrayList<>();
    for (int i = 0; i < content.credits().size(); i++) {
      final CreditContent.TransferEntry entry = content.credits().get(i);
      if (entry.address().equals(sender)) {
        return Plan.rejected(new Rejection(RejectionCode.SELF_TRANSFER,
            "Self-transfer not allowed: sender and recipient are both " + sender));
      }
      recipients.add(new LedgerCommand.Recipient(entry.address(),
          multiplied(rules, CreditKind.TRANSFER, entry.amount(), ts, i),
          expirationMicros(CreditKind.TRANSFER, entry.expiration(), i)));
    }
    return new Plan(null, List.of(new LedgerCommand.TransferOut(sender, creditRef, ts, origin,
        rules.whitelisted(sender), List.copyOf(recipients))));
  }

  private static Plan applies(final Map<String, List<LedgerCommand.Effect>> byAddress, final String creditRef,
      final long ts, final LedgerCommand.Origin origin, final BalanceCause cause) {
    final List<LedgerCommand> commands = new ArrayList<>();
    byAddress.forEach((address, effects) ->
        commands.add(new LedgerCommand.Apply(address, creditRef, ts, origin, cause, List.copyOf(effects))));
    return new Plan(null, List.copyOf(commands));
  }

  /**
   * The reference stores such a post and silently skips its credit effects; here it is both a rejection (so the
   * refusal is visible on the rejections topic) and a counted event, and still changes no balance.
   */
  private static Rejection notWhitelisted(final CreditKind kind, final String owner) {
    return new Rejection(RejectionCode.NOT_WHITELISTED, "Credit " + kind.key() + " from " + owner
        + " ignored: not in the credit addresses whitelist");
  }

  private static long multiplied(final LedgerRules rules, final CreditKind kind, final long amount, final long ts,
      final int index) {
    try {
      return rules.multiply(amount, ts);
    } catch (ArithmeticException e) {
      throw new CreditContentException(RejectionCode.INVALID_CONTENT, "Invalid credit " + kind.key()
          + " content: " + kind.key() + ".credits." + index + ".amount\n  Value error, amount " + amount
          + " overflows a 64-bit integer after the precision multiplier");
    }
  }

  /** Epoch milliseconds to micros; 0 and null mean "never", as in the reference's {@code expiration or None}. */
  static Long expirationMicros(final CreditKind kind, final Long millis, final int index) {
    if (millis == null || millis == 0L) {
      return null;
    }
    if (millis < MIN_EXPIRATION_MS || millis > MAX_EXPIRATION_MS) {
      throw new CreditContentException(RejectionCode.INVALID_CONTENT, "Invalid credit " + kind.key()
          + " content: " + kind.key() + ".credits." + index + ".expiration\n  Value error, expiration " + millis
          + " ms is outside the representable date range");
    }
    return millis * 1000L;
  }
}
