package aleph.pipeline.credit;

/** What changed an address's balance. */
public enum BalanceCause {
  GRANT,
  EXPENSE,
  TRANSFER_IN,
  TRANSFER_OUT,
  EXPIRY
}
