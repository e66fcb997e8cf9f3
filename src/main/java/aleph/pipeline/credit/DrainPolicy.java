package aleph.pipeline.credit;

import java.util.Comparator;
import java.util.Locale;

/** Which eligible credits a debit (expense or transfer) consumes first. */
public enum DrainPolicy {

  /** Soonest-expiring first, non-expiring last; ties by grant time, credit_ref, credit_index (DESIGN 5.1). */
  EXPIRATION_FIRST("expiration-first"),

  /** The reference node's FIFO: grant time, credit_ref, credit_index (DOMAIN 3.6.4). */
  EMISSION_ORDER("emission-order");

  private static final Comparator<GrantSlice> EMISSION = Comparator.comparingLong(GrantSlice::grantedAt)
      .thenComparing(GrantSlice::creditRef)
      .thenComparingInt(GrantSlice::creditIndex);

  private static final Comparator<GrantSlice> EXPIRATION = Comparator
      .comparingLong((GrantSlice s) -> s.expiration() == null ? Long.MAX_VALUE : s.expiration())
      .thenComparing(s -> s.expiration() == null ? 1 : 0)
      .thenComparing(EMISSION);

  private final String configName;

  DrainPolicy(final String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  Comparator<GrantSlice> order() {
    return this == EXPIRATION_FIRST ? EXPIRATION : EMISSION;
  }

  public static DrainPolicy fromConfigName(final String name) {
    for (DrainPolicy policy : values()) {
      if (policy.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return policy;
      }
    }
    throw new IllegalArgumentException("unknown credit drain policy '" + name + "'");
  }
}
