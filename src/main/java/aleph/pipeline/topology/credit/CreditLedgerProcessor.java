package aleph.pipeline.topology.credit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
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
    final AddressLedger ledger = AddressLedger.of(address, store.get(address));
    final LedgerStep step = ledger.run(command, rules);
    switch (step.outcome()) {
      case REPLAY -> counters.count("replay-ignored");
      case REJECTED -> {
        counters.rejected(step.rejection().code());
        store.put(address, ledger.state());
        context.forward(record.withKey(command.creditRef()).withValue(new Output(null, null,
            CreditAvro.rejection(step.rejection(), command.creditRef(), command.messageTimestamp(),
                command.origin()), null)));
      }
      case APPLIED -> {
        if (step.cause() != null) {
          store.put(address, ledger.state());
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

  /** Drops buckets expired by wall clock {@code now} and publishes each lowered balance. */
  private void expire(final long nowMillis) {
    final long now = Math.multiplyExact(nowMillis, 1_000L);
    final List<KeyValue<String, AddressLedger>> changed = new ArrayList<>();
    try (KeyValueIterator<String, LedgerState> all = store.all()) {
      while (all.hasNext()) {
        final KeyValue<String, LedgerState> entry = all.next();
        final AddressLedger ledger = AddressLedger.of(entry.key, entry.value);
        final Long next = ledger.nextExpiration();
        if (next != null && next <= now && ledger.expire(now) > 0) {
          changed.add(KeyValue.pair(entry.key, ledger));
        }
      }
    }
    for (KeyValue<String, AddressLedger> entry : changed) {
      store.put(entry.key, entry.value.state());
      counters.count("expired-buckets");
      context.forward(new Record<>(entry.key, new Output(null,
          CreditAvro.balance(entry.key, entry.value.balance(now), now, BalanceCause.EXPIRY, null), null, null),
          nowMillis));
    }
    if (!changed.isEmpty()) {
      LOG.debug("expired credit buckets of {} addresses", changed.size());
    }
  }
}
