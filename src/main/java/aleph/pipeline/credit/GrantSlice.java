package aleph.pipeline.credit;

/**
 * Credits one granting history row put into an address's bucket, and what is left of them.
 *
 * @param creditRef item_hash of the granting message
 * @param creditIndex position of the granting row in that message
 * @param grantedAt POST content.time of the grant, epoch microseconds
 * @param expiration expiration, epoch microseconds; null = never expires
 * @param remaining credits not yet consumed (> 0 while stored)
 */
public record GrantSlice(String creditRef, int creditIndex, long grantedAt, Long expiration, long remaining) {

  GrantSlice withRemaining(final long newRemaining) {
    return new GrantSlice(creditRef, creditIndex, grantedAt, expiration, newRemaining);
  }

  /** Spendable by an operation dated {@code at}: granted at or before it and not yet expired (DESIGN 5.2). */
  boolean eligibleAt(final long at) {
    return remaining > 0 && grantedAt <= at && (expiration == null || expiration > at);
  }

  boolean validAt(final long at) {
    return remaining > 0 && (expiration == null || expiration > at);
  }
}
