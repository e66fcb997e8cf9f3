package aleph.pipeline.topology;

import java.util.List;

import aleph.pipeline.config.PipelineConfig;

/**
 * The pipeline's topic names, as in {@code topology/topics.yaml}, with the configured {@code topic.prefix}.
 * Topology code names topics only through this class.
 */
public record Topics(
    String messages,
    String accepted,
    String crnMetrics,
    String ccnMetrics,
    String forgotten,
    String creditHistory,
    String creditBalances,
    String creditRejections,
    String deadLetters) {

  public static final String MESSAGES = "aleph.messages.v1";
  public static final String ACCEPTED = "aleph.messages.accepted.v1";
  public static final String CRN_METRICS = "aleph.node-metrics.crn.v1";
  public static final String CCN_METRICS = "aleph.node-metrics.ccn.v1";
  public static final String FORGOTTEN = "aleph.messages.forgotten.v1";
  public static final String CREDIT_HISTORY = "aleph.credit.history.v1";
  public static final String CREDIT_BALANCES = "aleph.credit.balances.v1";
  public static final String CREDIT_REJECTIONS = "aleph.credit.rejections.v1";
  public static final String DEAD_LETTERS = "aleph.pipeline.dead-letters.v1";

  public static Topics from(final PipelineConfig config) {
    return new Topics(
        config.topicName(MESSAGES),
        config.topicName(ACCEPTED),
        config.topicName(CRN_METRICS),
        config.topicName(CCN_METRICS),
        config.topicName(FORGOTTEN),
        config.topicName(CREDIT_HISTORY),
        config.topicName(CREDIT_BALANCES),
        config.topicName(CREDIT_REJECTIONS),
        config.topicName(DEAD_LETTERS));
  }

  public List<String> all() {
    return List.of(messages, accepted, crnMetrics, ccnMetrics, forgotten, creditHistory, creditBalances,
        creditRejections, deadLetters);
  }

  /** The topics the PostgreSQL sink reads. */
  public List<String> sinkInputs() {
    return List.of(accepted, crnMetrics, ccnMetrics, forgotten, creditHistory, creditBalances);
  }
}
