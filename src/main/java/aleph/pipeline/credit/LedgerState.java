package aleph.pipeline.credit;

import java.util.List;

/**
 * The stored form of one address's ledger (the {@code credit-buckets} store value).
 *
 * @param slices remaining grant slices, bucket by bucket (non-expiring last), each bucket in grant order
 * @param appliedRefs credit_refs already applied to the address, oldest first, bounded
 */
public record LedgerState(List<GrantSlice> slices, List<String> appliedRefs) {

  public LedgerState {
    slices = List.copyOf(slices);
    appliedRefs = List.copyOf(appliedRefs);
  }
}
