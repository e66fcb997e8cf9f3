package aleph.pipeline.topology.credit;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import aleph.pipeline.avro.credit.CreditRejection;
import aleph.pipeline.credit.CreditPlanner;
import aleph.pipeline.credit.LedgerCommand;
import aleph.pipeline.credit.LedgerRules;
import aleph.pipeline.message.ParsedMessage;

/**
 * Stateless half of the ledger: validates a credit candidate (key item_hash) and forwards either its
 * rejection (key item_hash) or one command per address (key address): a distribution's or expense's entries
 * grouped by address, or a whole transfer keyed by its sender.
 */
public final class CreditSplitProcessor
    implements Processor<String, ParsedMessage, String, CreditSplitProcessor.Routed> {

  /** Exactly one of the two is set. */
  public record Routed(LedgerCommand command, CreditRejection rejection) {
  }

  private final LedgerRules rules;
  private ProcessorContext<String, Routed> context;
  private CreditCounters counters;

  public CreditSplitProcessor(final LedgerRules rules) {
    this.rules = rules;
  }

  @Override
  public void init(final ProcessorContext<String, Routed> context) {
    this.context = context;
    this.counters = new CreditCounters(context.metrics(), CreditNames.SPLIT);
  }

  @Override
  public void process(final Record<String, ParsedMessage> record) {
    final ParsedMessage message = record.value();
    if (message == null) {
      return;
    }
    final String itemHash = message.envelope().getItemHash();
    final long ts = CreditAvro.micros(message.contentTime());
    final RecordMetadata meta = context.recordMetadata().orElse(null);
    final LedgerCommand.Origin origin = new LedgerCommand.Origin(message.postType(), message.owner(),
        meta == null ? null : meta.topic(), meta == null ? null : meta.partition(),
        meta == null ? null : meta.offset());
    final CreditPlanner.Plan plan = CreditPlanner.plan(rules, itemHash, ts, message.content().get("content"),
        origin);
    if (plan.rejection() != null) {
      counters.rejected(plan.rejection().code());
      context.forward(record.withKey(itemHash)
          .withValue(new Routed(null, CreditAvro.rejection(plan.rejection(), itemHash, ts, origin))));
      return;
    }
    for (LedgerCommand command : plan.commands()) {
      context.forward(record.withKey(command.address()).withValue(new Routed(command, null)));
    }
  }
}
