package aleph.pipeline.topology.credit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.credit.CreditRejection;
import aleph.pipeline.credit.AddressLedger;
import aleph.pipeline.credit.BalanceCause;
import aleph.pipeline.credit.HistoryRow;
import aleph.pipeline.credit.LedgerCommand;
import aleph.pipeline.credit.LedgerRules;
import aleph.pipeline.credit.LedgerState;
import aleph.pipeline.credit.LedgerStep;

/**
 * The stateful half of the ledger: runs a {@link LedgerCommand} (key address) on that address's
 * {@link AddressLedger} in the {@code credit-buckets} store, and forwards what changed: history rows and the
 * full balance (key address), an insufficient-balance rejection (key item_hash), and transfer grants (key
 * recipient) that the topology routes back to this same store through {@code credit-grants-by-recipient}.
 * The {@code credit-expirations} store indexes (expiration, address) so expiry reads only the due addresses.
 * With {@code punctuate} it also drops expired buckets on a wall-clock schedule and publishes the lower
 * balance (cause EXPIRY). Once dropped, a bucket is gone for good: a message dated before its expiration but
 * read after the punctuator ran can no longer spend it (the reference keeps expired lots for such operations).
 */
public final class CreditLedgerProcessor implements Processor<String, LedgerCommand, String,
    CreditLedgerProcessor.Output> {

  private static final Logger LOG = LoggerFactory.getLogger(CreditLedgerProcessor.class);

  /** Exactly one field is set; the record key says where it goes. */
  public record Output(CreditHistoryEntry history, CreditBalance balance, CreditRejection rejection,
      LedgerCommand grant) {
  }

  private final LedgerRules rules;
  private final String name;
  private final Duration expiryInterval;
  private ProcessorContext<String, Output> context;
  private KeyValueStore<String, LedgerState> store;
  private KeyValueStore<String, String> expiries;
  private CreditCounters counters;

  /**
   * @param rules the ledger configuration
   * @param name this processor's name (for its counters)
   * @param expiryInterval wall-clock period of the expiry punctuator; null schedules none
   */
  public CreditLedgerProcessor(final LedgerRules rules, final String name, final Duration expiryInterval) {
    this.rules = rules;
    this.name = name;
    this.expiryInterval = expiryInterval;
  }

  @Override
  public void init(final ProcessorContext<String, Output> context) {
    this.context = context;
    this.store = context.getStateStore(CreditNames.STORE);
    this.expiries = context.getStateStore(CreditNames.EXPIRATIONS);
    this.counters = new CreditCounters(context.metrics(), name);
    if (expiryInterval != null) {
      context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }
  }

  @Override
  public void process(final Record<String, LedgerCommand> record) {
    final LedgerCommand command = record.value();
    if (command == null) {
      return;
    }
    final String address = command.address();
    final LedgerState before = store.get(address);
    final AddressLedger ledger = AddressLedger.of(address, before);
    final LedgerStep step = ledger.run(command, rules);
    switch (step.outcome()) {
      case REPLAY -> counters.count("replay-ignored");
      case REJECTED -> {
        counters.rejected(step.rejection().code());
        save(address, before, ledger);
        context.forward(record.withKey(command.creditRef()).withValue(new Output(null, null,
            CreditAvro.rejection(step.rejection(), command.creditRef(), command.messageTimestamp(),
                command.origin()), null)));
      }
      case APPLIED -> {
        if (step.cause() != null) {
          save(address, before, ledger);
        }
        for (HistoryRow row : step.history()) {
          context.forward(record.withKey(row.address())
              .withValue(new Output(CreditAvro.history(row), null, null, null)));
        }
        if (step.cause() != null) {
          context.forward(record.withKey(address).withValue(new Output(null,
              CreditAvro.balance(address, ledger.balance(command.messageTimestamp()), command.messageTimestamp(),
                  step.cause(), command.creditRef()), null, null)));
        }
        for (LedgerCommand.TransferIn grant : step.outgoing()) {
          context.forward(record.withKey(grant.address()).withValue(new Output(null, null, null, grant)));
        }
      }
      default -> throw new IllegalStateException("unexpected outcome " + step.outcome());
    }
  }

  /**
   * Stores the address's new state and keeps the expiration index in step: one entry per (expiration,
   * address) the address holds credits for.
   */
  private void save(final String address, final LedgerState before, final AddressLedger ledger) {
    final LedgerState after = ledger.state();
    store.put(address, after);
    final Set<Long> old = expirations(before);
    final Set<Long> now = expirations(after);
    for (Long expiration : old) {
      if (!now.contains(expiration)) {
        expiries.delete(indexKey(expiration, address));
      }
    }
    for (Long expiration : now) {
      if (!old.contains(expiration)) {
        expiries.put(indexKey(expiration, address), address);
      }
    }
  }

  /**
   * Publishes the lowered balance of every address whose credits expired by wall clock {@code now} (only the
   * addresses the expiration index lists as due are read). The ledger itself is left as it is: its decisions
   * depend on message times alone, so a replay from offset 0 reproduces them, and a debit dated before an
   * expiration may still spend those credits, as the reference allows.
   */
  private void expire(final long nowMillis) {
    final long now = Math.multiplyExact(nowMillis, 1_000L);
    final Map<String, List<String>> due = new TreeMap<>();
    try (KeyValueIterator<String, String> it = expiries.range(indexKey(Long.MIN_VALUE, ""),
        indexKey(now, "\uffff"))) {
      it.forEachRemaining(entry -> due.computeIfAbsent(entry.value, a -> new ArrayList<>()).add(entry.key));
    }
    for (Map.Entry<String, List<String>> entry : due.entrySet()) {
      final String address = entry.getKey();
      entry.getValue().forEach(expiries::delete);
      final LedgerState state = store.get(address);
      // A throwaway copy tells whether anything was still held in the expired buckets.
      final long dropped = AddressLedger.of(address, state).expire(now);
      if (dropped > 0) {
        counters.count("expired-buckets");
        context.forward(new Record<>(address, new Output(null,
            CreditAvro.balance(address, AddressLedger.of(address, state).balance(now), now, BalanceCause.EXPIRY,
                null), null, null), nowMillis));
      }
    }
    if (!due.isEmpty()) {
      LOG.debug("published expired credit balances of {} addresses", due.size());
    }
  }

  private static Set<Long> expirations(final LedgerState state) {
    final Set<Long> out = new HashSet<>();
    if (state != null) {
      state.slices().forEach(slice -> {
        if (slice.expiration() != null) {
          out.add(slice.expiration());
        }
      });
    }
    return out;
  }

  /** Fixed-width, sign-flipped so that string order is numeric order, negative expirations included. */
  static String indexKey(final long expiration, final String address) {
    final String unsigned = Long.toUnsignedString(expiration ^ Long.MIN_VALUE);
    return "0".repeat(20 - unsigned.length()) + unsigned + "|" + address;
  }
}
