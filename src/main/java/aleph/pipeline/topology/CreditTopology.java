package aleph.pipeline.topology;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.credit.CreditRejection;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.credit.DrainPolicy;
import aleph.pipeline.credit.LedgerCommand;
import aleph.pipeline.credit.LedgerRules;
import aleph.pipeline.credit.LedgerState;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.credit.CreditLedgerProcessor;
import aleph.pipeline.topology.credit.CreditNames;
import aleph.pipeline.topology.credit.CreditSplitProcessor;
import aleph.pipeline.topology.credit.JsonSerde;

/**
 * The credit ledger (DOMAIN 3, DESIGN 3 and 5).
 *
 * <p>Input: credit candidates, key item_hash, value {@link ParsedMessage} (POSTs of a credit post type that
 * passed the gate). {@code credit-split} validates each one; refusals go straight to
 * {@code aleph.credit.rejections.v1} (key item_hash, {@link CreditRejection}); commands are rekeyed by address
 * through the repartition topic {@code credit-by-address}: a distribution's or expense's entries grouped per
 * address, a transfer whole at its sender. {@code credit-ledger} runs them on the persistent, changelogged
 * store {@code credit-buckets} (key address, value {@link LedgerState} as JSON) and emits every history row to
 * {@code aleph.credit.history.v1} (key address, {@link CreditHistoryEntry}), the address's full balance after
 * every change to {@code aleph.credit.balances.v1} (key address, {@link CreditBalance}), insufficient-balance
 * refusals to the rejections topic, and a settled transfer's grants keyed by recipient to the repartition topic
 * {@code credit-grants-by-recipient}, which {@code credit-ledger-transfer-in} applies on the same store (same
 * sub-topology and task, since both inputs are keyed by address and co-partitioned). A second store,
 * {@code credit-expirations}, indexes which addresses hold credits expiring when, for the wall-clock expiry
 * punctuator (period {@code credit.expiry.punctuate.interval.ms}), which publishes lowered balances (EXPIRY).
 *
 * <p>Ordering: a message's entries for different addresses are processed independently, each in its address's
 * partition order; a transfer's grants reach the recipient one hop after the sender settled it, so a message
 * for the recipient read in between does not see them yet.
 */
public final class CreditTopology {

  private CreditTopology() {
  }

  public static void build(final StreamsBuilder builder, final KStream<String, ParsedMessage> creditCandidates,
      final PipelineConfig config, final Topics topics, final SerdeFactory serdes) {
    final LedgerRules rules = rules(config);
    final Duration expiryInterval = Duration.ofMillis(config.getLong(PipelineConfig.CREDIT_EXPIRY_INTERVAL_MS));
    final Serde<String> keys = serdes.key();
    final Serde<LedgerCommand> commands = JsonSerde.of(LedgerCommand.class);
    final Serde<CreditRejection> rejectionSerde = serdes.value(CreditRejection.class);
    final Serde<CreditHistoryEntry> historySerde = serdes.value(CreditHistoryEntry.class);
    final Serde<CreditBalance> balanceSerde = serdes.value(CreditBalance.class);

    final StoreBuilder<?> store = Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CreditNames.STORE), keys, JsonSerde.of(LedgerState.class));
    builder.addStateStore(store);
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CreditNames.EXPIRATIONS), keys, keys));

    final Map<String, KStream<String, CreditSplitProcessor.Routed>> split = creditCandidates
        .process(() -> new CreditSplitProcessor(rules), Named.as(CreditNames.SPLIT))
        .split(Named.as(CreditNames.SPLIT + "-"))
        .branch((key, routed) -> routed.rejection() != null, Branched.as("rejected"))
        .defaultBranch(Branched.as("commands"));
    split.get(CreditNames.SPLIT + "-rejected")
        .mapValues(CreditSplitProcessor.Routed::rejection, Named.as(CreditNames.SPLIT + "-rejection"))
        .to(topics.creditRejections(), Produced.with(keys, rejectionSerde).withName(CreditNames.SPLIT
            + "-rejections-sink"));

    final KStream<String, CreditLedgerProcessor.Output> ledgerOut = split.get(CreditNames.SPLIT + "-commands")
        .mapValues(CreditSplitProcessor.Routed::command, Named.as(CreditNames.SPLIT + "-command"))
        .repartition(Repartitioned.<String, LedgerCommand>as(CreditNames.BY_ADDRESS)
            .withKeySerde(keys).withValueSerde(commands))
        .process(() -> new CreditLedgerProcessor(rules, CreditNames.LEDGER, expiryInterval),
            Named.as(CreditNames.LEDGER), CreditNames.STORE, CreditNames.EXPIRATIONS);
    final Map<String, KStream<String, CreditLedgerProcessor.Output>> outputs = routeOutputs(ledgerOut,
        CreditNames.LEDGER, topics, keys, historySerde, balanceSerde);
    outputs.get(CreditNames.LEDGER + "-out-rejection")
        .mapValues(CreditLedgerProcessor.Output::rejection, Named.as(CreditNames.LEDGER + "-rejection"))
        .to(topics.creditRejections(), Produced.with(keys, rejectionSerde).withName(CreditNames.LEDGER
            + "-rejections-sink"));

    final KStream<String, CreditLedgerProcessor.Output> transferInOut = outputs.get(CreditNames.LEDGER + "-out-grant")
        .mapValues(CreditLedgerProcessor.Output::grant, Named.as(CreditNames.LEDGER + "-grant"))
        .repartition(Repartitioned.<String, LedgerCommand>as(CreditNames.GRANTS_BY_RECIPIENT)
            .withKeySerde(keys).withValueSerde(commands))
        .process(() -> new CreditLedgerProcessor(rules, CreditNames.LEDGER_TRANSFER_IN, null),
            Named.as(CreditNames.LEDGER_TRANSFER_IN), CreditNames.STORE, CreditNames.EXPIRATIONS);
    routeOutputs(transferInOut, CreditNames.LEDGER_TRANSFER_IN, topics, keys, historySerde, balanceSerde);
  }

  /** Sends history and balance outputs to their topics; returns the rejection and grant branches. */
  private static Map<String, KStream<String, CreditLedgerProcessor.Output>> routeOutputs(
      final KStream<String, CreditLedgerProcessor.Output> out, final String name, final Topics topics,
      final Serde<String> keys, final Serde<CreditHistoryEntry> historySerde,
      final Serde<CreditBalance> balanceSerde) {
    final String prefix = name + "-out-";
    final Map<String, KStream<String, CreditLedgerProcessor.Output>> branches = out
        .split(Named.as(prefix))
        .branch((key, value) -> value.history() != null, Branched.as("history"))
        .branch((key, value) -> value.balance() != null, Branched.as("balance"))
        .branch((key, value) -> value.rejection() != null, Branched.as("rejection"))
        .defaultBranch(Branched.as("grant"));
    branches.get(prefix + "history")
        .mapValues(CreditLedgerProcessor.Output::history, Named.as(name + "-history"))
        .to(topics.creditHistory(), Produced.with(keys, historySerde).withName(name + "-history-sink"));
    branches.get(prefix + "balance")
        .mapValues(CreditLedgerProcessor.Output::balance, Named.as(name + "-balance"))
        .to(topics.creditBalances(), Produced.with(keys, balanceSerde).withName(name + "-balances-sink"));
    return branches;
  }

  /** The ledger rules from the configuration. */
  public static LedgerRules rules(final PipelineConfig config) {
    return new LedgerRules(
        new HashSet<>(config.getList(PipelineConfig.CREDIT_ADDRESSES)),
        DrainPolicy.fromConfigName(config.getString(PipelineConfig.CREDIT_DRAIN_POLICY)),
        Math.multiplyExact(config.getLong(PipelineConfig.CREDIT_PRECISION_CUTOFF), 1_000_000L),
        config.getLong(PipelineConfig.CREDIT_PRECISION_MULTIPLIER),
        config.getInt(PipelineConfig.CREDIT_APPLIED_REFS));
  }
}
