package aleph.pipeline.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditHistoryEntry;
import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.metrics.CcnMetric;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.db.SinkRepository.ParentRow;
import aleph.pipeline.topology.Topics;

/**
 * One transaction's worth of consumed records, decoded and grouped by table, with the offsets it advances to.
 * Records that cannot be decoded or stored become dead letters; they still advance the offsets.
 */
final class SinkBatch {

  final Map<String, AcceptedMessage> accepted = new LinkedHashMap<>();
  final List<CrnMetric> crn = new ArrayList<>();
  final List<CcnMetric> ccn = new ArrayList<>();
  final List<ForgottenMessage> forgets = new ArrayList<>();
  final List<CreditHistoryEntry> history = new ArrayList<>();
  final Map<String, CreditBalance> balances = new LinkedHashMap<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();
  final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  int records;
  /** Write metric rows through the staging merge (skipping stored rows) rather than a direct COPY. */
  boolean mergeMetrics;

  /** Decodes {@code records}; every one of them is either grouped or dead-lettered. */
  static SinkBatch decode(final List<ConsumerRecord<byte[], byte[]>> records, final Topics topics,
      final Map<String, Deserializer<? extends SpecificRecord>> decoders) {
    final SinkBatch batch = new SinkBatch();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      batch.records++;
      batch.nextOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1,
          Math::max);
      final SpecificRecord value;
      try {
        value = record.value() == null ? null : decoders.get(record.topic()).deserialize(record.topic(),
            record.value());
      } catch (RuntimeException e) {
        batch.deadLetters.add(new DeadLetter(record, "undecodable value: " + e.getMessage()));
        continue;
      }
      if (value == null) {
        if (record.topic().equals(topics.creditBalances()) && record.key() != null) {
          // A tombstone on the compacted balance topic: the address has no buckets any more.
          batch.balances.put(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8), null);
        }
        continue;
      }
      final String problem = RecordChecks.problem(value);
      if (problem != null) {
        batch.deadLetters.add(new DeadLetter(record, problem));
        continue;
      }
      batch.add(value);
    }
    return batch;
  }

  /** A batch of exactly the given records, each sent to the dead-letter topic with {@code reason}. */
  static SinkBatch allDead(final List<ConsumerRecord<byte[], byte[]>> records, final String reason) {
    final SinkBatch batch = new SinkBatch();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      batch.records++;
      batch.nextOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1,
          Math::max);
      batch.deadLetters.add(new DeadLetter(record, reason));
    }
    return batch;
  }

  private void add(final SpecificRecord value) {
    if (value instanceof CrnMetric m) {
      crn.add(m);
    } else if (value instanceof CcnMetric m) {
      ccn.add(m);
    } else if (value instanceof AcceptedMessage m) {
      accepted.put(m.getItemHash(), m);
    } else if (value instanceof ForgottenMessage f) {
      forgets.add(f);
    } else if (value instanceof CreditHistoryEntry h) {
      history.add(h);
    } else if (value instanceof CreditBalance b) {
      balances.put(b.getAddress(), b);
    } else {
      throw new IllegalStateException("no table for " + value.getClass().getName());
    }
  }

  /** Hashes of messages whose rows this batch would write. */
  Set<String> writtenHashes() {
    final Set<String> hashes = new HashSet<>(accepted.keySet());
    crn.forEach(m -> hashes.add(m.getItemHash()));
    ccn.forEach(m -> hashes.add(m.getItemHash()));
    return hashes;
  }

  /**
   * Splits the hashes with an applied forget into those whose rows must be dropped (the forget's sender owns or
   * sent the message) and those the forget had no right to (returned; their rows are kept).
   */
  Set<String> dropForgotten(final Map<String, String> forgetSenders) {
    final Set<String> dropped = new HashSet<>();
    final Set<String> unauthorised = new HashSet<>();
    forgetSenders.forEach((hash, forgetSender) -> {
      final boolean owned = owners(hash).stream().anyMatch(forgetSender::equalsIgnoreCase);
      (owned ? dropped : unauthorised).add(hash);
    });
    accepted.keySet().removeAll(dropped);
    crn.removeIf(m -> dropped.contains(m.getItemHash()));
    ccn.removeIf(m -> dropped.contains(m.getItemHash()));
    return unauthorised;
  }

  private Collection<String> owners(final String hash) {
    final Set<String> who = new HashSet<>();
    final AcceptedMessage message = accepted.get(hash);
    if (message != null) {
      who.add(message.getOwner());
      who.add(message.getSender());
    }
    for (CrnMetric m : crn) {
      if (m.getItemHash().equals(hash)) {
        who.add(m.getOwner());
        who.add(m.getSender());
      }
    }
    for (CcnMetric m : ccn) {
      if (m.getItemHash().equals(hash)) {
        who.add(m.getOwner());
        who.add(m.getSender());
      }
    }
    return who;
  }

  /** Parent rows announced by metric records whose accepted-message record is not in this batch. */
  List<ParentRow> metricParents() {
    final Map<String, ParentRow> parents = new LinkedHashMap<>();
    for (CrnMetric m : crn) {
      if (!accepted.containsKey(m.getItemHash())) {
        parents.putIfAbsent(m.getItemHash(),
            new ParentRow(m.getItemHash(), m.getMessageTime(), m.getSender(), m.getChannel(), m.getOwner()));
      }
    }
    for (CcnMetric m : ccn) {
      if (!accepted.containsKey(m.getItemHash())) {
        parents.putIfAbsent(m.getItemHash(),
            new ParentRow(m.getItemHash(), m.getMessageTime(), m.getSender(), m.getChannel(), m.getOwner()));
      }
    }
    return new ArrayList<>(parents.values());
  }
}
