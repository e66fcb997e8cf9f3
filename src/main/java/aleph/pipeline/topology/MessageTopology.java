package aleph.pipeline.topology;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.message.AcceptedMessages;
import aleph.pipeline.message.ForgetTargets;
import aleph.pipeline.message.GateResult;
import aleph.pipeline.message.GateRules;
import aleph.pipeline.message.MessageGate;
import aleph.pipeline.message.ParsedMessage;
import aleph.pipeline.metrics.NodeMetricsFanOut;
import aleph.pipeline.metrics.PipelineCounters;
import aleph.pipeline.serde.SerdeFactory;
import aleph.pipeline.topology.message.DedupProcessor;
import aleph.pipeline.topology.message.GateProcessor;

/**
 * The message gate and scoring fan-out.
 *
 * <ul>
 *   <li>In: {@code aleph.messages.v1}, item_hash → {@code AlephMessage}.</li>
 *   <li>Out: {@code aleph.messages.accepted.v1}, item_hash → {@code AcceptedMessage}, one per accepted scoring,
 *       credit or FORGET message;</li>
 *   <li>{@code aleph.node-metrics.crn.v1} / {@code .ccn.v1}, node_id → {@code CrnMetric} / {@code CcnMetric},
 *       one per valid entry of a scoring post;</li>
 *   <li>{@code aleph.messages.forgotten.v1}, target hash → {@code ForgottenMessage}, one per FORGET
 *       {@code hashes} entry;</li>
 *   <li>returned: the credit candidates, item_hash → {@link ParsedMessage}, for the credit ledger.</li>
 *   <li>Store: {@value #DEDUP_STORE} (window store, item_hash → first-seen record time, retention
 *       {@code dedup.window.ms}).</li>
 * </ul>
 *
 * <p>Processors: {@value #SOURCE} → {@value #GATE} → {@value #DEDUP} → accepted / scoring / FORGET / credit
 * branches. Counters go to the given {@link PipelineCounters}, {@link PipelineCounters#global()} by default.
 */
public final class MessageTopology {

  public static final String SOURCE = "source-messages";
  public static final String GATE = "gate-messages";
  public static final String DEDUP = "dedup-messages";
  public static final String DEDUP_STORE = "message-dedup-store";

  private MessageTopology() {
  }

  public static KStream<String, ParsedMessage> build(final StreamsBuilder builder, final PipelineConfig config,
      final Topics topics, final SerdeFactory serdes) {
    return build(builder, config, topics, serdes, PipelineCounters.global());
  }

  public static KStream<String, ParsedMessage> build(final StreamsBuilder builder, final PipelineConfig config,
      final Topics topics, final SerdeFactory serdes, final PipelineCounters counters) {
    final MessageGate gate = new MessageGate(GateRules.from(config));
    final NodeMetricsFanOut fanOut = new NodeMetricsFanOut(counters);
    final Duration window = Duration.ofMillis(config.getLong(PipelineConfig.DEDUP_WINDOW_MS));
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(DEDUP_STORE, window, window, false), Serdes.String(), Serdes.Long()));

    final KStream<String, GateResult> accepted = builder
        .stream(topics.messages(), Consumed.with(serdes.key(), serdes.value(AlephMessage.class)).withName(SOURCE))
        .process(() -> new GateProcessor(gate, counters), Named.as(GATE))
        .processValues(() -> new DedupProcessor(DEDUP_STORE, window, counters), Named.as(DEDUP), DEDUP_STORE);

    accepted
        .mapValues(result -> AcceptedMessages.of(result.message(), result.primaryKind()),
            Named.as("map-accepted-messages"))
        .to(topics.accepted(), Produced.with(serdes.key(), serdes.value(AcceptedMessage.class))
            .withName("sink-accepted-messages"));

    final KStream<String, ParsedMessage> scoring = messagesOf(accepted, MessageKind.SCORING, "scoring-messages");
    scoring
        .flatMap((hash, message) -> keyed(fanOut.crn(message), CrnMetric::getNodeId),
            Named.as("fan-out-crn-metrics"))
        .to(topics.crnMetrics(), Produced.with(serdes.key(), serdes.value(CrnMetric.class))
            .withName("sink-crn-metrics"));
    scoring
        .flatMap((hash, message) -> keyed(fanOut.ccn(message), CcnMetric::getNodeId),
            Named.as("fan-out-ccn-metrics"))
        .to(topics.ccnMetrics(), Produced.with(serdes.key(), serdes.value(CcnMetric.class))
            .withName("sink-ccn-metrics"));

    messagesOf(accepted, MessageKind.FORGET, "forget-messages")
        .flatMap((hash, forget) -> {
          final List<ForgottenMessage> targets = ForgetTargets.of(forget);
          counters.add("forget.targets.emitted", targets.size());
          counters.add("forget.aggregates.ignored", ForgetTargets.aggregateKeys(forget));
          return keyed(targets, ForgottenMessage::getTargetHash);
        }, Named.as("fan-out-forgotten-messages"))
        .to(topics.forgotten(), Produced.with(serdes.key(), serdes.value(ForgottenMessage.class))
            .withName("sink-forgotten-messages"));

    return messagesOf(accepted, MessageKind.CREDIT, "credit-candidates");
  }

  private static KStream<String, ParsedMessage> messagesOf(final KStream<String, GateResult> accepted,
      final MessageKind kind, final String name) {
    return accepted
        .filter((hash, result) -> result.is(kind), Named.as("filter-" + name))
        .mapValues(GateResult::message, Named.as("map-" + name));
  }

  private static <T> List<KeyValue<String, T>> keyed(final List<T> records,
      final Function<T, String> key) {
    return records.stream().map(r -> KeyValue.pair(key.apply(r), r)).toList();
  }
}
