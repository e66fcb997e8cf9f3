package aleph.pipeline.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.topology.TopicCatalog;

/** Creates and describes the catalog's topics. */
public final class TopicAdmin implements AutoCloseable {

  private final Admin admin;
  private final PipelineConfig config;

  public TopicAdmin(final PipelineConfig config) {
    this.config = config;
    final Map<String, Object> props = new HashMap<>(config.clientProperties("admin"));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(PipelineConfig.BOOTSTRAP_SERVERS));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.admin = Admin.create(props);
  }

  /**
   * Creates the catalog topics that do not exist yet; returns the names created. Replication is capped at the
   * cluster's broker count so one-node clusters work.
   */
  public List<String> createMissing(final TopicCatalog catalog) {
    try {
      final Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
      final int brokers = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).size();
      final short replication = (short) Math.min(3, Math.max(1, brokers));
      final String prefix = config.getString(PipelineConfig.TOPIC_PREFIX);
      final List<NewTopic> missing = new ArrayList<>();
      for (TopicCatalog.Entry entry : catalog.entries()) {
        if (!existing.contains(prefix + entry.name())) {
          missing.add(entry.toNewTopic(prefix, replication, 0));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        awaitLeaders(missing.stream().map(NewTopic::name).toList());
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topics: " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("could not reach Kafka at "
          + config.getString(PipelineConfig.BOOTSTRAP_SERVERS) + ": " + e.getMessage(), e);
    }
  }

  /** Producers that start on a topic before its partitions have leaders can stall; creation returns only after. */
  private void awaitLeaders(final List<String> names) throws Exception {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      final boolean ready = admin.describeTopics(names).allTopicNames().get(20, TimeUnit.SECONDS).values().stream()
          .flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
      if (ready) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + names + " have no leader after 30 s");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  public Map<String, TopicDescription> describe(final List<String> names) {
    try {
      final Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
      return admin.describeTopics(names.stream().filter(existing::contains).toList())
          .allTopicNames().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not reach Kafka at "
          + config.getString(PipelineConfig.BOOTSTRAP_SERVERS) + ": " + e.getMessage(), e);
    }
  }

  public Admin admin() {
    return admin;
  }

  @Override
  public void close() {
    admin.close();
  }
}
