package aleph.pipeline.credit;

import java.util.List;

/**
 * An address's credits valid at an instant.
 *
 * @param total the sum of the buckets, floored at 0
 * @param buckets non-empty buckets, non-expiring first, then by expiration ascending
 */
public record Balance(long total, List<Bucket> buckets) {

  /**
   * Credits that expire together.
   *
   * @param expiration epoch microseconds; null = never expires
   * @param amount credits remaining (> 0)
   */
  public record Bucket(Long expiration, long amount) {
  }

  public static final Balance EMPTY = new Balance(0, List.of());
}
