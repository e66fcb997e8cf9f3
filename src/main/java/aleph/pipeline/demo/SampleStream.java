package aleph.pipeline.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ItemType;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.message.ItemHashes;

/**
 * A realistic, deterministic sample of Aleph traffic for the demo: scoring posts with tens of CRN and CCN
 * entries (a few hostile ones among them), credit distributions, expenses and transfers (one self-transfer and
 * one unfunded transfer that the ledger rejects), a re-broadcast duplicate and a FORGET of one scoring post.
 */
public final class SampleStream {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] AS_NAMES = {"OVH, FR", "Hetzner Online GmbH, DE", "Online SAS, FR", "IKOULA, FR",
      "DigitalOcean, US", "Contabo GmbH, DE"};

  private final Random random;
  private final Instant now;
  private final String scoringAddress;
  private final String scoringChannel;
  private final String metricsPostType;
  private final String issuer;
  private final String creditChannel;

  public SampleStream(final PipelineConfig config, final Instant now, final long seed) {
    this.random = new Random(seed);
    this.now = now.truncatedTo(ChronoUnit.MICROS);
    this.scoringAddress = config.getList(PipelineConfig.SCORING_ADDRESSES).get(0);
    this.scoringChannel = config.getString(PipelineConfig.SCORING_CHANNEL);
    this.metricsPostType = config.getString(PipelineConfig.SCORING_METRICS_POST_TYPE);
    this.issuer = config.getList(PipelineConfig.CREDIT_ADDRESSES).get(0);
    final List<String> channels = config.getList(PipelineConfig.CREDIT_CHANNELS);
    this.creditChannel = channels.isEmpty() ? "ALEPH_CREDIT" : channels.get(0);
  }

  /**
   * The sample in three phases: scoring posts and the credit grants; then spending (expenses, transfers, the
   * two the ledger rejects); then the FORGET. Messages of one address can sit on different input partitions,
   * so a debit published together with its grant could overtake it; the demo lets each phase land first, as
   * real traffic spreads them over time.
   */
  public List<List<AlephMessage>> phases(final int scoringPosts) {
    final List<AlephMessage> all = generate(scoringPosts);
    final int grants = scoringPosts + 2;
    return List.of(all.subList(0, grants), all.subList(grants, all.size() - 1), all.subList(all.size() - 1,
        all.size()));
  }

  /** The sample, in publication order. */
  public List<AlephMessage> generate(final int scoringPosts) {
    final List<AlephMessage> out = new ArrayList<>();
    final List<String> crnNodes = nodeIds(40);
    final List<String> ccnNodes = nodeIds(20);
    // Measurements stay inside the current UTC month so they land in a child partition V001 created.
    final Instant monthStart = now.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
    final Instant first = now.minus(6, ChronoUnit.HOURS).isBefore(monthStart) ? monthStart
        : now.minus(6, ChronoUnit.HOURS);
    final long spanMicros = Math.max(1, ChronoUnit.MICROS.between(first, now));
    for (int i = 0; i < scoringPosts; i++) {
      final Instant postTime = first.plus(spanMicros * i / Math.max(1, scoringPosts), ChronoUnit.MICROS);
      out.add(scoringPost(postTime, crnNodes, ccnNodes, i == 0));
    }
    out.add(out.get(1)); // an Aleph re-broadcast: the gate lets it through only once

    final String[] users = {"0xA11ce00000000000000000000000000000000001", "0xB0b0000000000000000000000000000000000002",
        "0xCa401000000000000000000000000000000000003", "0xDa4e000000000000000000000000000000000004"};
    final Instant credits = now.minus(1, ChronoUnit.HOURS);
    final long inNinetyDays = now.plus(90, ChronoUnit.DAYS).toEpochMilli();
    final ArrayNode grants = JSON.createArrayNode();
    for (int i = 0; i < users.length; i++) {
      grants.add(JSON.createObjectNode().put("address", users[i]).put("amount", 1_000_000L * (i + 1))
          .put("price", "0.000001").put("tx_hash", "0x" + hex(32)).put("provider", "ALEPH")
          .put("origin", "demo").put("payment_method", "token")
          .put("expiration", i % 2 == 0 ? inNinetyDays : 0));
    }
    out.add(credit(issuer, credits, "aleph_credit_distribution", JSON.createObjectNode().set("distribution",
        JSON.createObjectNode().put("token", "ALEPH").put("chain", "ETH").set("credits", grants))));
    out.add(credit(issuer, credits.plusSeconds(60), "aleph_credit_expense", JSON.createObjectNode().set("expense",
        JSON.createObjectNode().set("credits", JSON.createArrayNode()
            .add(JSON.createObjectNode().put("address", users[1]).put("amount", 250_000).put("ref", "storage")
                .put("count", 12).put("size", 2048.5).put("time", 3600.0))
            .add(JSON.createObjectNode().put("address", users[2]).put("amount", 400_000)
                .put("execution_id", hex(32)).put("node_id", hex(32)).put("price", "0.001"))))));
    out.add(transfer(users[0], credits.plusSeconds(120), users[3], 300_000));
    out.add(transfer(users[3], credits.plusSeconds(180), users[1], 1_500_000));
    out.add(transfer(users[2], credits.plusSeconds(240), users[2], 10)); // rejected: self-transfer
    out.add(transfer("0xE11e000000000000000000000000000000000005", credits.plusSeconds(300), users[0], 5)); // unfunded

    final AlephMessage forgotten = out.get(0);
    out.add(forget(scoringAddress, now, forgotten.getItemHash()));
    return out;
  }

  private AlephMessage scoringPost(final Instant time, final List<String> crnNodes, final List<String> ccnNodes,
      final boolean withHostileEntries) {
    final ArrayNode crn = JSON.createArrayNode();
    for (String node : crnNodes) {
      crn.add(JSON.createObjectNode().put("node_id", node).put("measured_at", epoch(time.minusSeconds(random.nextInt(600))))
          .put("base_latency", latency()).put("base_latency_ipv4", latency()).put("full_check_latency", latency() * 3)
          .put("diagnostic_vm_latency", latency()).put("asn", 10_000 + random.nextInt(50_000))
          .put("url", "https://" + node.substring(0, 8) + ".example/").put("as_name", asName()).put("version", "1.3.0"));
    }
    final ArrayNode ccn = JSON.createArrayNode();
    for (String node : ccnNodes) {
      ccn.add(JSON.createObjectNode().put("node_id", node).put("measured_at", epoch(time.minusSeconds(random.nextInt(600))))
          .put("base_latency", latency()).put("base_latency_ipv4", latency()).put("metrics_latency", latency())
          .put("aggregate_latency", latency()).put("file_download_latency", latency())
          .put("pending_messages", random.nextInt(20)).put("eth_height_remaining", random.nextInt(300))
          .put("asn", 10_000 + random.nextInt(50_000)).put("as_name", asName()).put("version", "v0.5.1"));
    }
    if (withHostileEntries) {
      crn.add(JSON.createObjectNode().put("node_id", "").put("measured_at", epoch(time)));
      crn.add(JSON.createObjectNode().put("node_id", "abc").put("measured_at", "not-a-time"));
      ccn.add(JSON.createObjectNode().put("node_id", ccnNodes.get(0)).put("measured_at", epoch(time.minusSeconds(1)))
          .put("pending_messages", "lots").put("eth_height_remaining", 1e12));
      ccn.add("not an object");
    }
    final ObjectNode metrics = JSON.createObjectNode().put("server", "151.115.63.76").put("server_asn", 12876)
        .put("server_as_name", "Online SAS, FR");
    metrics.set("crn", crn);
    metrics.set("ccn", ccn);
    final ObjectNode payload = JSON.createObjectNode().put("version", "1.0");
    payload.set("tags", JSON.createArrayNode().add("mainnet"));
    payload.set("metrics", metrics);
    final ObjectNode content = JSON.createObjectNode().put("address", scoringAddress).put("time", epoch(time))
        .put("type", metricsPostType);
    content.set("content", payload);
    return inline(MessageType.POST, scoringAddress, scoringChannel, time, content);
  }

  private AlephMessage transfer(final String from, final Instant time, final String to, final long amount) {
    return credit(from, time, "aleph_credit_transfer", JSON.createObjectNode().set("transfer",
        JSON.createObjectNode().set("credits", JSON.createArrayNode()
            .add(JSON.createObjectNode().put("address", to).put("amount", amount)))));
  }

  private AlephMessage credit(final String sender, final Instant time, final String type, final ObjectNode payload) {
    final ObjectNode content = JSON.createObjectNode().put("address", sender).put("time", epoch(time))
        .put("type", type);
    content.set("content", payload);
    return inline(MessageType.POST, sender, creditChannel, time, content);
  }

  private AlephMessage forget(final String sender, final Instant time, final String target) {
    final ObjectNode content = JSON.createObjectNode().put("address", sender).put("time", epoch(time))
        .put("reason", "demo: retract one scoring post");
    content.set("hashes", JSON.createArrayNode().add(target));
    return inline(MessageType.FORGET, sender, scoringChannel, time, content);
  }

  /** An inline message: item_hash is the sha256 of the exact item_content text, as the network requires. */
  public static AlephMessage inline(final MessageType type, final String sender, final String channel,
      final Instant time, final ObjectNode content) {
    final String itemContent = content.toString();
    return AlephMessage.newBuilder().setItemHash(ItemHashes.sha256Hex(itemContent)).setType(type).setChain("ETH")
        .setSender(sender).setSignature("0x" + "00".repeat(65)).setChannel(channel).setTime(time)
        .setItemType(ItemType.INLINE).setItemContent(itemContent)
        .setSize((long) itemContent.getBytes(StandardCharsets.UTF_8).length).build();
  }

  private List<String> nodeIds(final int count) {
    final List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(hex(32));
    }
    return ids;
  }

  private String hex(final int bytes) {
    final byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private double latency() {
    return Math.round((0.05 + random.nextDouble() * 0.8) * 1e6) / 1e6;
  }

  private String asName() {
    return AS_NAMES[random.nextInt(AS_NAMES.length)];
  }

  private static double epoch(final Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }
}
