package aleph.pipeline.credit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The whole ledger in memory: every address, with transfer grants delivered at once. The stream processor
 * runs the same {@link CreditPlanner} and {@link AddressLedger} steps, spread over partitions; this class is
 * the reference model its results are checked against, and a convenient entry point for domain tests.
 */
public final class CreditLedger {

  private final LedgerRules rules;
  private final Map<String, AddressLedger> ledgers = new TreeMap<>();

  public CreditLedger(final LedgerRules rules) {
    this.rules = rules;
  }

  public LedgerRules rules() {
    return rules;
  }

  /**
   * The result of one message.
   *
   * @param rejection why it was refused, or null
   * @param history every history row written, in the order the reference writes them within an address
   * @param steps each address step, in execution order
   */
  public record Result(Rejection rejection, List<HistoryRow> history, List<Map.Entry<String, LedgerStep>> steps) {
  }

  /**
   * Processes one credit message.
   *
   * @param creditRef item_hash
   * @param postType content.type
   * @param owner content.address
   * @param messageTimestamp content.time, epoch microseconds
   * @param payload content.content
   */
  public Result submit(final String creditRef, final String postType, final String owner,
      final long messageTimestamp, final JsonNode payload) {
    final CreditPlanner.Plan plan = CreditPlanner.plan(rules, creditRef, messageTimestamp, payload,
        new LedgerCommand.Origin(postType, owner, null, null, null));
    if (plan.rejection() != null) {
      return new Result(plan.rejection(), List.of(), List.of());
    }
    return run(plan.commands());
  }

  /** Runs commands, then the transfer grants they produce, until none is left. */
  public Result run(final List<LedgerCommand> commands) {
    final Deque<LedgerCommand> queue = new ArrayDeque<>(commands);
    final List<HistoryRow> history = new ArrayList<>();
    final List<Map.Entry<String, LedgerStep>> steps = new ArrayList<>();
    Rejection rejection = null;
    while (!queue.isEmpty()) {
      final LedgerCommand command = queue.poll();
      final LedgerStep step = ledger(command.address()).run(command, rules);
      steps.add(Map.entry(command.address(), step));
      if (step.rejection() != null) {
        rejection = step.rejection();
      }
      history.addAll(step.history());
      queue.addAll(step.outgoing());
    }
    // Rows of one message in credit_index order, as the reference writes them; grants travel after the debit.
    history.sort(Comparator.comparing(HistoryRow::creditRef).thenComparingInt(HistoryRow::creditIndex));
    return new Result(rejection, history, steps);
  }

  /** Drops every bucket expired at {@code now}; returns the credits dropped per address (non-zero only). */
  public Map<String, Long> expire(final long now) {
    final Map<String, Long> dropped = new TreeMap<>();
    ledgers.forEach((address, ledger) -> {
      final long amount = ledger.expire(now);
      if (amount > 0) {
        dropped.put(address, amount);
      }
    });
    return dropped;
  }

  public Balance balance(final String address, final long at) {
    final AddressLedger ledger = ledgers.get(address);
    return ledger == null ? Balance.EMPTY : ledger.balance(at);
  }

  public long eligibleBalance(final String address, final long at) {
    final AddressLedger ledger = ledgers.get(address);
    return ledger == null ? 0 : ledger.eligibleBalance(at);
  }

  /** Every address's stored state, by address. */
  public Map<String, LedgerState> states() {
    final Map<String, LedgerState> out = new TreeMap<>();
    ledgers.forEach((address, ledger) -> out.put(address, ledger.state()));
    return out;
  }

  public AddressLedger ledger(final String address) {
    return ledgers.computeIfAbsent(address, AddressLedger::empty);
  }
}
