package aleph.pipeline.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft Kafka cluster (combined broker and controller) running real broker code in this JVM,
 * configured so that exactly-once (transactions, EOS v2) works with one replica.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Fixed, so a restarted broker recognises its own log directory. */
  private static final String CLUSTER_ID = new Uuid(0x616c657068L, 0x706970656c696e65L).toString();

  private final KafkaClusterTestKit cluster;

  private EmbeddedKafka(final KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /**
   * Starts a cluster whose logs live in {@code logDir}: formatted when new, reopened with its topics and
   * offsets when it holds an earlier run's data.
   */
  public static EmbeddedKafka start(final Path logDir) {
    try {
      Files.createDirectories(logDir);
      final boolean formatted;
      try (var entries = Files.list(logDir)) {
        formatted = entries.findAny().isPresent();
      }
      final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(1)
          .setNumControllerNodes(1)
          .setClusterId(CLUSTER_ID)
          .setBaseDirectory(logDir.toAbsolutePath())
          .build())
          .setDeleteOnClose(false)
          // One node: every internal topic has one replica, and transactions need no quorum beyond it.
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("min.insync.replicas", "1")
          .setConfigProp("default.replication.factor", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .setConfigProp("auto.create.topics.enable", "false")
          .setConfigProp("num.partitions", "1")
          .setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE))
          .build();
      if (!formatted) {
        quietly(cluster::format);
      }
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafka(cluster);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  /** Kafka's storage formatter prints to standard output, which belongs to the command's own report. */
  private static void quietly(final FormatStep step) throws Exception {
    final PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      step.run();
    } finally {
      System.setOut(out);
    }
  }

  @FunctionalInterface
  private interface FormatStep {
    void run() throws Exception;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the embedded Kafka broker", e);
    }
  }
}
