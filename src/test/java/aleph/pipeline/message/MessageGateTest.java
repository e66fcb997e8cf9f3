package aleph.pipeline.message;

import static aleph.pipeline.message.TestMessages.CREDIT_ADDRESS;
import static aleph.pipeline.message.TestMessages.METRICS_TYPE;
import static aleph.pipeline.message.TestMessages.OTHER_ADDRESS;
import static aleph.pipeline.message.TestMessages.SCORING_ADDRESS;
import static aleph.pipeline.message.TestMessages.SCORING_CHANNEL;
import static aleph.pipeline.message.TestMessages.apiShaped;
import static aleph.pipeline.message.TestMessages.inline;
import static aleph.pipeline.message.TestMessages.json;
import static aleph.pipeline.message.TestMessages.postContent;
import static aleph.pipeline.message.TestMessages.scoringContent;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ForgottenMessage;
import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.config.PipelineConfig;

class MessageGateTest {

  private static final String PAYLOAD = "{'metrics': {'crn': [{'node_id': 'crn-A', 'measured_at': 1700000000}]}}";
  private static final String HASH = "fc1e7b1edc2348eb78303fb1342e31e5ad3820249629032d37f8223e754a5f8e";

  private final MessageGate gate = new MessageGate(TestMessages.defaultRules());

  private static AlephMessage withContentText(final MessageType type, final String channel, final String text) {
    return AlephMessage.newBuilder(inline(type, SCORING_ADDRESS, channel, scoringContent(PAYLOAD)))
        .setItemContent(text).build();
  }

  @Test
  void shouldAcceptScoringPostWhenInlineOrApiShaped() {
    // Given
    final ObjectNode content = scoringContent(PAYLOAD);

    // When
    final GateResult inline = gate.evaluate(inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content));
    final GateResult api = gate.evaluate(apiShaped(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content));

    // Then
    for (GateResult result : List.of(inline, api)) {
      assertThat(result.kinds()).containsExactly(MessageKind.SCORING);
      assertThat(result.message().owner()).isEqualTo(SCORING_ADDRESS);
      assertThat(result.message().postType()).isEqualTo(METRICS_TYPE);
      assertThat(result.message().contentTime()).isEqualTo(Instant.parse("2023-11-14T22:13:20.500Z"));
      assertThat(result.message().content()).isEqualTo(content);
    }
  }

  @Test
  void shouldDefaultAddressAndTimeToEnvelopeWhenContentLacksThem() {
    // Given
    final ObjectNode content = scoringContent(PAYLOAD);
    content.remove("address");
    content.putNull("time");
    final AlephMessage message = inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content);

    // When
    final GateResult result = gate.evaluate(message);

    // Then
    assertThat(result.isAccepted()).isTrue();
    assertThat(result.message().owner()).isEqualTo(SCORING_ADDRESS);
    assertThat(result.message().contentTime()).isEqualTo(message.getTime());
    assertThat(result.message().content().get("address").textValue()).isEqualTo(SCORING_ADDRESS);
    assertThat(result.message().content().get("time").doubleValue()).isEqualTo(1700000000.25);
  }

  @Test
  void shouldKeepContentTimeAtMicrosecondsWhenGiven() {
    // Given
    final ObjectNode content = scoringContent(PAYLOAD);
    content.put("time", 1652786281.980474);

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content));

    // Then
    assertThat(result.message().contentTime()).isEqualTo(Instant.parse("2022-05-17T11:18:01.980474Z"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = MessageType.class, names = {"AGGREGATE", "STORE", "PROGRAM", "INSTANCE", "V_PROGRAM"})
  void shouldIgnoreWithoutParsingWhenTypeIsNeitherPostNorForget(final MessageType type) {
    // Given: unparseable content proves the envelope check came first
    final AlephMessage message = withContentText(type, SCORING_CHANNEL, "{not json");

    // When
    final GateResult result = gate.evaluate(message);

    // Then
    assertThat(result.isAccepted()).isFalse();
    assertThat(result.invalid()).isFalse();
    assertThat(result.reason()).isEqualTo("type");
  }

  @ParameterizedTest(name = "channel {0}")
  @CsvSource(nullValues = "NULL", value = {"wrong-channel", "NULL", "ALEPH-SCORING"})
  void shouldIgnoreWithoutParsingWhenPostChannelMatchesNoRule(final String channel) {
    // Given
    final AlephMessage message = withContentText(MessageType.POST, channel, "{not json");

    // When
    final GateResult result = gate.evaluate(message);

    // Then
    assertThat(result.invalid()).isFalse();
    assertThat(result.reason()).isEqualTo("channel");
  }

  @Test
  void shouldIgnoreScoringChannelPostWhenPostTypeIsOther() {
    // Given test_non_scoring_post_type_does_not_insert_metrics
    final ObjectNode content = postContent(SCORING_ADDRESS, "something-else", PAYLOAD);

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content));

    // Then
    assertThat(result.isAccepted()).isFalse();
    assertThat(result.reason()).isEqualTo("post_type");
  }

  @ParameterizedTest(name = "address {0}")
  @ValueSource(strings = {OTHER_ADDRESS, "0x4d52380d3191274a04846c89c069e6c3f2ed94e4", ""})
  void shouldIgnoreScoringPostWhenContentAddressIsNotAllowlisted(final String address) {
    // Given test_non_allowlisted_sender_does_not_insert_metrics (the match is exact and case-sensitive)
    final ObjectNode content = postContent(address, METRICS_TYPE, PAYLOAD);

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, address, SCORING_CHANNEL, content));

    // Then
    assertThat(result.isAccepted()).isFalse();
    assertThat(result.reason()).isEqualTo("address");
  }

  @Test
  void shouldAcceptScoringPostWhenOnlyContentAddressIsAllowlisted() {
    // Given: the gate reads content.address, never the envelope sender
    final ObjectNode content = scoringContent(PAYLOAD);

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, OTHER_ADDRESS, SCORING_CHANNEL, content));

    // Then
    assertThat(result.kinds()).containsExactly(MessageKind.SCORING);
  }

  @ParameterizedTest(name = "content.content {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"{} | true", "[] | false", "'text' | false",
      "null | false", "0 | false"})
  void shouldRequireObjectPayloadWhenPostIsScoring(final String payload, final boolean accepted) {
    // Given
    final ObjectNode content = scoringContent(payload);

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content));

    // Then
    assertThat(result.isAccepted()).isEqualTo(accepted);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "{not json                                                       | content_not_json",
      "[1, 2]                                                          | content_not_object",
      "{'address': 5, 'time': 1, 'type': 'aleph-network-metrics', 'content': {}} | address",
      "{'time': 1, 'content': {}}                                      | post_type",
      "{'time': -1, 'type': 'aleph-network-metrics', 'content': {}}    | time",
      "{'time': 'soon', 'type': 'aleph-network-metrics', 'content': {}} | time",
      "{'time': 1e10, 'type': 'aleph-network-metrics', 'content': {}}  | time",
      "{'time': 1, 'type': 'aleph-network-metrics', 'content': {}, 'extra': 1} | post_unknown_field",
      "{'time': 1, 'type': 'aleph-network-metrics', 'content': {'crn': [{'x': NaN}]}} | content_not_finite",
      "{'time': 1, 'type': 'aleph-network-metrics', 'content': {'v': -Infinity}} | content_not_finite",
      "{'time': 1, 'type': 'aleph-network-metrics', 'content': {'v': 1e400}} | content_not_finite",
  })
  void shouldRefuseScoringCandidateWhenContentIsInvalid(final String text, final String reason) {
    // Given
    final AlephMessage message = withContentText(MessageType.POST, SCORING_CHANNEL, text.replace('\'', '"'));

    // When
    final GateResult result = gate.evaluate(message);

    // Then
    assertThat(result.isAccepted()).isFalse();
    assertThat(result.invalid()).isTrue();
    assertThat(result.reason()).isEqualTo(reason);
  }

  @Test
  void shouldRefuseMessageWhenNoContentIsCarried() {
    // Given
    final AlephMessage message = withContentText(MessageType.POST, SCORING_CHANNEL, null);

    // When
    final GateResult result = gate.evaluate(message);

    // Then
    assertThat(result.reason()).isEqualTo("content_missing");
  }

  @ParameterizedTest(name = "{0} from {1}")
  @CsvSource({
      "aleph_credit_distribution, " + CREDIT_ADDRESS,
      "aleph_credit_expense, " + CREDIT_ADDRESS,
      "aleph_credit_transfer, " + OTHER_ADDRESS,
      "aleph_credit_distribution, " + OTHER_ADDRESS,
  })
  void shouldRouteCreditCandidateWhenTypeChannelAndPayloadMatch(final String type, final String address) {
    // Given: the whitelist is the ledger's decision, not the gate's
    final ObjectNode content = postContent(address, type, "{'credits': [{'address': '0xabc', 'amount': 10}]}");

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, address, "ALEPH_CREDIT", content));

    // Then
    assertThat(result.kinds()).containsExactly(MessageKind.CREDIT);
    assertThat(result.message().owner()).isEqualTo(address);
    assertThat(result.message().postType()).isEqualTo(type);
  }

  @ParameterizedTest(name = "content.content {0}")
  @ValueSource(strings = {"{}", "[]", "''", "0", "false", "null"})
  void shouldIgnoreCreditPostWhenPayloadIsFalsy(final String payload) {
    // Given
    final ObjectNode content = postContent(CREDIT_ADDRESS, "aleph_credit_distribution", payload);

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, CREDIT_ADDRESS, "ALEPH_CREDIT", content));

    // Then
    assertThat(result.isAccepted()).isFalse();
    assertThat(result.reason()).isEqualTo("payload");
  }

  @Test
  void shouldIgnoreCreditPostWhenChannelIsNotListed() {
    // Given
    final ObjectNode content = postContent(CREDIT_ADDRESS, "aleph_credit_distribution", "{'credits': [1]}");

    // When
    final GateResult result = gate.evaluate(inline(MessageType.POST, CREDIT_ADDRESS, "OTHER", content));

    // Then
    assertThat(result.reason()).isEqualTo("channel");
  }

  @ParameterizedTest(name = "channel {0}")
  @CsvSource(nullValues = "NULL", value = {"NULL", "ANYTHING"})
  void shouldAcceptCreditPostOnAnyChannelWhenNoChannelIsConfigured(final String channel) {
    // Given
    final MessageGate open = new MessageGate(GateRules.from(
        PipelineConfig.defaults().with(Map.of(PipelineConfig.CREDIT_CHANNELS, ""))));
    final ObjectNode content = postContent(CREDIT_ADDRESS, "aleph_credit_transfer", "{'credits': [1]}");

    // When
    final GateResult result = open.evaluate(inline(MessageType.POST, CREDIT_ADDRESS, channel, content));

    // Then
    assertThat(result.kinds()).containsExactly(MessageKind.CREDIT);
  }

  @Test
  void shouldTakeBothPathsWhenConfiguredTypesOverlap() {
    // Given: the reference's scoring and credit blocks are independent ifs
    final MessageGate overlapping = new MessageGate(GateRules.from(PipelineConfig.defaults().with(Map.of(
        PipelineConfig.CREDIT_POST_TYPES, METRICS_TYPE, PipelineConfig.CREDIT_CHANNELS, SCORING_CHANNEL))));

    // When
    final GateResult result = overlapping.evaluate(
        inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, scoringContent(PAYLOAD)));

    // Then
    assertThat(result.kinds()).containsExactlyInAnyOrder(MessageKind.SCORING, MessageKind.CREDIT);
    assertThat(result.primaryKind()).isEqualTo(MessageKind.SCORING);
  }

  @Test
  void shouldAcceptForgetOnAnyChannelWhenItNamesHashes() {
    // Given
    final AlephMessage forget = TestMessages.forget(OTHER_ADDRESS, HASH);

    // When
    final GateResult result = gate.evaluate(AlephMessage.newBuilder(forget).setChannel(null).build());

    // Then
    assertThat(result.kinds()).containsExactly(MessageKind.FORGET);
    assertThat(result.message().postType()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "{'hashes': []}                                  | forget_no_target",
      "{}                                              | forget_no_target",
      "{'hashes': ['not-a-hash']}                      | forget_hashes",
      "{'hashes': 'fc1e7b1edc2348eb78303fb1342e31e5ad3820249629032d37f8223e754a5f8e'} | forget_hashes",
      "{'hashes': [42]}                                | forget_hashes",
      "{'aggregates': ['key']}                         | forget_aggregates",
      "{'hashes': ['fc1e7b1edc2348eb78303fb1342e31e5ad3820249629032d37f8223e754a5f8e'], 'reason': 7} | forget_reason",
  })
  void shouldRefuseForgetWhenTargetsAreMalformed(final String text, final String reason) {
    // Given
    final AlephMessage message = withContentText(MessageType.FORGET, "TEST", text.replace('\'', '"'));

    // When
    final GateResult result = gate.evaluate(message);

    // Then
    assertThat(result.invalid()).isTrue();
    assertThat(result.reason()).isEqualTo(reason);
  }

  @Test
  void shouldRefuseForgetWhenItNamesMoreThanAThousandHashes() {
    // Given
    final String[] hashes = new String[1001];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = ItemHashes.sha256Hex("target-" + i);
    }

    // When
    final GateResult result = gate.evaluate(TestMessages.forget(OTHER_ADDRESS, hashes));

    // Then
    assertThat(result.reason()).isEqualTo("forget_hashes");
  }

  @Test
  void shouldEmitOneForgottenRecordPerDistinctHashWhenForgetIsAccepted() {
    // Given
    final String other = ItemHashes.sha256Hex("other");
    final ObjectNode content = json("{'address': '" + OTHER_ADDRESS + "', 'time': 1, 'reason': 'spam',"
        + " 'hashes': ['" + HASH + "', '" + other + "', '" + HASH + "'],"
        + " 'aggregates': ['" + ItemHashes.sha256Hex("agg") + "']}");
    final AlephMessage forget = inline(MessageType.FORGET, CREDIT_ADDRESS, "TEST", content);

    // When
    final GateResult result = gate.evaluate(forget);
    final List<ForgottenMessage> targets = ForgetTargets.of(result.message());

    // Then
    assertThat(targets).extracting(ForgottenMessage::getTargetHash).containsExactly(HASH, other);
    assertThat(targets).allSatisfy(target -> {
      assertThat(target.getForgetHash()).isEqualTo(forget.getItemHash());
      assertThat(target.getForgetSender()).isEqualTo(CREDIT_ADDRESS);
      assertThat(target.getForgetOwner()).isEqualTo(OTHER_ADDRESS);
      assertThat(target.getForgottenAt()).isEqualTo(forget.getTime());
      assertThat(target.getReason()).isEqualTo("spam");
    });
    assertThat(ForgetTargets.aggregateKeys(result.message())).isEqualTo(1);
  }

  @Test
  void shouldDescribeParentWhenScoringPostIsAccepted() {
    // Given
    final ObjectNode content = scoringContent(PAYLOAD);
    content.remove("time");
    final AlephMessage api = AlephMessage.newBuilder(
        apiShaped(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content)).setSize(4321L).build();
    final AlephMessage inline = inline(MessageType.POST, SCORING_ADDRESS, SCORING_CHANNEL, content);

    // When
    final AcceptedMessage fromApi = AcceptedMessages.of(gate.evaluate(api).message(), MessageKind.SCORING);
    final AcceptedMessage fromInline = AcceptedMessages.of(gate.evaluate(inline).message(), MessageKind.SCORING);

    // Then
    assertThat(fromApi.getItemHash()).isEqualTo(api.getItemHash());
    assertThat(fromApi.getType()).isEqualTo(MessageType.POST);
    assertThat(fromApi.getChain()).isEqualTo("ETH");
    assertThat(fromApi.getSender()).isEqualTo(SCORING_ADDRESS);
    assertThat(fromApi.getChannel()).isEqualTo(SCORING_CHANNEL);
    assertThat(fromApi.getTime()).isEqualTo(api.getTime());
    assertThat(fromApi.getOwner()).isEqualTo(SCORING_ADDRESS);
    assertThat(fromApi.getContentType()).isEqualTo(METRICS_TYPE);
    assertThat(fromApi.getKind()).isEqualTo(MessageKind.SCORING);
    assertThat(fromApi.getSize()).isEqualTo(4321L);
    assertThat(fromInline.getSize()).isEqualTo(inline.getItemContent().getBytes(UTF_8).length);
    assertThat(fromApi.getContent()).contains("\"time\":1700000000.25}").contains("\"crn-A\"");
    assertThat(fromApi.getContent()).isEqualTo(fromInline.getContent());
  }

  @Test
  void shouldWriteFloatsAsPythonJsonDumpsWhenContentIsSerialised() {
    // Given
    final ObjectNode content = json("{'a': 1e16, 'b': 0.1, 'c': 1652786281.980474, 'n': 3,"
        + " 'big': 123456789012345678901, 's': 'caf\u00e9', 'l': [1.0, -2.5e-7]}");

    // When
    final String text = Json.write(content);

    // Then
    assertThat(text).isEqualTo("{\"a\":1e+16,\"b\":0.1,\"c\":1652786281.980474,\"n\":3,"
        + "\"big\":123456789012345678901,\"s\":\"caf\u00e9\",\"l\":[1.0,-2.5e-07]}");
  }

  @Test
  void shouldWriteNonFiniteFloatsAsPythonLiteralsWhenContentHoldsThem() throws Exception {
    // Given
    final String text = "{\"n\":NaN,\"p\":Infinity,\"m\":-Infinity}";

    // When
    final String written = Json.write(Json.parse(text));

    // Then
    assertThat(written).isEqualTo(text);
  }
}
