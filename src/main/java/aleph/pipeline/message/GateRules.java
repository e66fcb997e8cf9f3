package aleph.pipeline.message;

import java.util.List;
import java.util.Set;

import aleph.pipeline.config.PipelineConfig;

/**
 * What the gate lets through (DOMAIN 2.1, 2.2, 3.1).
 *
 * @param scoringAddresses allowlisted {@code content.address} values of scoring posts (exact match)
 * @param scoringChannel envelope channel of scoring posts
 * @param metricsPostType {@code content.type} of scoring posts
 * @param creditPostTypes {@code content.type} values of credit posts
 * @param creditChannels envelope channels of credit posts; empty accepts every channel, including none
 */
public record GateRules(Set<String> scoringAddresses, String scoringChannel, String metricsPostType,
    Set<String> creditPostTypes, Set<String> creditChannels) {

  public GateRules {
    scoringAddresses = Set.copyOf(scoringAddresses);
    creditPostTypes = Set.copyOf(creditPostTypes);
    creditChannels = Set.copyOf(creditChannels);
  }

  public static GateRules from(final PipelineConfig config) {
    return new GateRules(
        Set.copyOf(nonBlank(config.getList(PipelineConfig.SCORING_ADDRESSES))),
        config.getString(PipelineConfig.SCORING_CHANNEL),
        config.getString(PipelineConfig.SCORING_METRICS_POST_TYPE),
        Set.copyOf(nonBlank(config.getList(PipelineConfig.CREDIT_POST_TYPES))),
        Set.copyOf(nonBlank(config.getList(PipelineConfig.CREDIT_CHANNELS))));
  }

  /** The envelope channel may carry a scoring post. A null channel never matches. */
  public boolean scoringChannel(final String channel) {
    return channel != null && channel.equals(scoringChannel);
  }

  /** The envelope channel may carry a credit post: any channel when none is configured. */
  public boolean creditChannel(final String channel) {
    return creditChannels.isEmpty() || (channel != null && creditChannels.contains(channel));
  }

  private static List<String> nonBlank(final List<String> values) {
    return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }
}
