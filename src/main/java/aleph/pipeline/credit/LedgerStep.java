package aleph.pipeline.credit;

import java.util.List;

/**
 * What running one {@link LedgerCommand} on an address did.
 *
 * @param outcome applied, a replay (nothing changed) or rejected
 * @param cause the balance change to publish; null when the address's balance did not change
 * @param history history rows to publish, in credit_index order
 * @param outgoing grants for the transfer's recipients (only from a transfer at its sender)
 * @param rejection why it was refused (only when rejected)
 * @param granted credits added to this address
 * @param drained credits actually taken from this address (an under-funded expense takes less than it asks)
 */
public record LedgerStep(Outcome outcome, BalanceCause cause, List<HistoryRow> history,
    List<LedgerCommand.TransferIn> outgoing, Rejection rejection, long granted, long drained) {

  /** How a command ended. */
  public enum Outcome {
    APPLIED,
    REPLAY,
    REJECTED
  }

  static LedgerStep replay() {
    return new LedgerStep(Outcome.REPLAY, null, List.of(), List.of(), null, 0, 0);
  }

  static LedgerStep rejected(final Rejection rejection) {
    return new LedgerStep(Outcome.REJECTED, null, List.of(), List.of(), rejection, 0, 0);
  }
}
