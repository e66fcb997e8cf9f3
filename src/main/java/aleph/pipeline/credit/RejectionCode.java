package aleph.pipeline.credit;

/** Why the ledger refused a credit message; nothing of a refused message is applied. */
public enum RejectionCode {
  INVALID_CONTENT,
  INSUFFICIENT_BALANCE,
  SELF_TRANSFER,
  DUPLICATE_RECIPIENT,
  NOT_WHITELISTED
}
