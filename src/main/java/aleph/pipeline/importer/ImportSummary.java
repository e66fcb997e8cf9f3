package aleph.pipeline.importer;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an import did.
 *
 * @param produced messages the broker acknowledged
 * @param skipped envelopes not produced, by reason (invalid envelopes, malformed text, failed sends)
 */
public record ImportSummary(long produced, SortedMap<String, Long> skipped) {

  public ImportSummary {
    skipped = Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Two lines: what was produced, and what was skipped by reason. */
  public String describe(final String topic) {
    final String first = "produced " + produced + " message" + (produced == 1 ? "" : "s") + " to " + topic;
    if (skipped.isEmpty()) {
      return first + System.lineSeparator() + "skipped 0";
    }
    return first + System.lineSeparator() + "skipped " + skippedTotal() + ": " + skipped.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
