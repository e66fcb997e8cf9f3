package aleph.pipeline.credit;

import java.util.Set;

/**
 * The ledger's configuration as plain values.
 *
 * @param whitelist credit issuers (exact, case-sensitive): may distribute and expense, and transfer unchecked
 * @param drainPolicy which credits a debit consumes first
 * @param precisionCutoffMicros messages dated strictly before this instant get the multiplier (epoch micros)
 * @param precisionMultiplier the multiplier for pre-cutoff amounts
 * @param appliedRefsPerAddress how many applied credit_refs an address remembers for replay detection
 */
public record LedgerRules(Set<String> whitelist, DrainPolicy drainPolicy, long precisionCutoffMicros,
    long precisionMultiplier, int appliedRefsPerAddress) {

  public static final String DEFAULT_ISSUER = "0x2E4454fAD1906c0Ce6e45cBFA05cE898Ac3AC1dC";
  public static final long DEFAULT_CUTOFF_SECONDS = 1_769_990_400L;
  public static final long DEFAULT_MULTIPLIER = 10_000L;
  public static final int DEFAULT_APPLIED_REFS = 1_000;

  public LedgerRules {
    whitelist = Set.copyOf(whitelist);
  }

  /** The reference defaults (DOMAIN 3.1, 3.3) with the given drain policy. */
  public static LedgerRules defaults(final DrainPolicy policy) {
    return new LedgerRules(Set.of(DEFAULT_ISSUER), policy, DEFAULT_CUTOFF_SECONDS * 1_000_000L, DEFAULT_MULTIPLIER,
        DEFAULT_APPLIED_REFS);
  }

  public boolean whitelisted(final String address) {
    return address != null && whitelist.contains(address);
  }

  /** {@code _apply_credit_precision_multiplier}: strict {@code <} against the cutoff. */
  public long multiply(final long amount, final long messageTimestampMicros) {
    return messageTimestampMicros < precisionCutoffMicros ? Math.multiplyExact(amount, precisionMultiplier) : amount;
  }
}
