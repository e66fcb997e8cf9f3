package aleph.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.serde.FakeRegistryServer.Answer;
import aleph.pipeline.serde.FakeRegistryServer.Request;
import aleph.pipeline.serde.SchemaRegistryException.IncompatibleSchemaException;
import aleph.pipeline.serde.SchemaRegistryException.InvalidSchemaException;
import aleph.pipeline.serde.SchemaRegistryException.RegistryAuthenticationException;
import aleph.pipeline.serde.SchemaRegistryException.RegistryUnavailableException;
import aleph.pipeline.serde.SchemaRegistryException.SchemaNotFoundException;
import aleph.pipeline.serde.SchemaRegistryException.SubjectNotFoundException;

class RestSchemaRegistryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUBJECT = "aleph.messages.v1-value";
  private static final Schema SCHEMA = AlephMessage.getClassSchema();

  private FakeRegistryServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeRegistryServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RestSchemaRegistry client(final Map<String, Object> extra) {
    final Map<String, Object> config = new HashMap<>();
    config.put("schema.registry.url", server.url());
    config.put("retries.wait.ms", "1");
    config.putAll(extra);
    return RestSchemaRegistry.fromConfig(config);
  }

  private RestSchemaRegistry client() {
    return client(Map.of());
  }

  private static String latestBody(final int id, final int version, final Schema schema) throws Exception {
    return JSON.writeValueAsString(Map.of("subject", SUBJECT, "id", id, "version", version,
        "schema", schema.toString()));
  }

  @Test
  void shouldPostSchemaToSubjectVersionsWhenRegistering() throws Exception {
    // Given
    server.then(Answer.ok("{\"id\":42}"));

    // When
    final int id = client().register(SUBJECT, SCHEMA);

    // Then
    assertThat(id).isEqualTo(42);
    final Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/subjects/aleph.messages.v1-value/versions");
    assertThat(request.headers()).containsEntry("content-type", "application/vnd.schemaregistry.v1+json")
        .containsEntry("accept", "application/vnd.schemaregistry.v1+json")
        .doesNotContainKey("authorization");
    final JsonNode body = JSON.readTree(request.body());
    assertThat(body.size()).isEqualTo(1);
    assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(SCHEMA);
  }

  @Test
  void shouldMakeNoRequestWhenTheSameSchemaIsRegisteredAgainOrReadById() {
    // Given
    server.then(Answer.ok("{\"id\":7}"));
    final RestSchemaRegistry client = client();
    client.register(SUBJECT, SCHEMA);

    // When
    final int again = client.register(SUBJECT, SCHEMA);
    final Schema byId = client.byId(7);

    // Then
    assertThat(again).isEqualTo(7);
    assertThat(byId).isEqualTo(SCHEMA);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void shouldGetSchemaByIdOnceWhenReadRepeatedly() throws Exception {
    // Given
    server.then(Answer.ok(JSON.writeValueAsString(Map.of("schema", SCHEMA.toString()))));
    final RestSchemaRegistry client = client();

    // When
    final Schema first = client.byId(13);
    final Schema second = client.byId(13);

    // Then
    assertThat(first).isEqualTo(SCHEMA).isSameAs(second);
    assertThat(server.requests()).extracting(Request::method, Request::path)
        .containsExactly(tuple("GET", "/schemas/ids/13"));
    assertThat(server.requests().get(0).headers()).containsEntry("accept", RestSchemaRegistry.CONTENT_TYPE);
  }

  @Test
  void shouldPostToSubjectWhenLookingUpAnExistingSchema() throws Exception {
    // Given
    server.then(Answer.ok(latestBody(5, 3, SCHEMA)));
    final RestSchemaRegistry client = client();

    // When
    final SchemaRegistry.RegisteredSchema found = client.lookup(SUBJECT, SCHEMA);
    final int id = client.idOf(SUBJECT, SCHEMA);

    // Then
    assertThat(found.id()).isEqualTo(5);
    assertThat(found.version()).isEqualTo(3);
    assertThat(id).isEqualTo(5);
    assertThat(server.requests()).hasSize(1);
    final Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/subjects/aleph.messages.v1-value");
    assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
  }

  @Test
  void shouldGetLatestVersionAndCacheItWhenAskedTwice() throws Exception {
    // Given
    server.then(Answer.ok(latestBody(9, 2, SCHEMA)));
    final RestSchemaRegistry client = client();

    // When
    final SchemaRegistry.RegisteredSchema latest = client.latest(SUBJECT);
    client.latest(SUBJECT);
    final Schema byId = client.byId(9);

    // Then
    assertThat(latest).isEqualTo(new SchemaRegistry.RegisteredSchema(SUBJECT, 2, 9, SCHEMA));
    assertThat(byId).isEqualTo(SCHEMA);
    assertThat(server.requests()).extracting(Request::method, Request::path)
        .containsExactly(tuple("GET", "/subjects/aleph.messages.v1-value/versions/latest"));
  }

  @Test
  void shouldPostToCompatibilityEndpointWhenCheckingCompatibility() throws Exception {
    // Given
    server.then(Answer.ok("{\"is_compatible\":false}")).then(Answer.ok("{\"is_compatible\":true}"));
    final RestSchemaRegistry client = client();

    // When
    final boolean first = client.isCompatible(SUBJECT, SCHEMA);
    final boolean second = client.isCompatible(SUBJECT, SCHEMA);

    // Then
    assertThat(first).isFalse();
    assertThat(second).isTrue();
    final Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/compatibility/subjects/aleph.messages.v1-value/versions/latest");
    assertThat(request.headers()).containsEntry("content-type", RestSchemaRegistry.CONTENT_TYPE);
    assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
  }

  @Test
  void shouldCallASubjectWithoutVersionsCompatibleWhenTheRegistrySaysSubjectNotFound() {
    // Given
    server.then(Answer.error(404, 40401, "Subject not found."));

    // When
    final boolean compatible = client().isCompatible(SUBJECT, SCHEMA);

    // Then
    assertThat(compatible).isTrue();
  }

  @Test
  void shouldEncodeTheSubjectAsOnePathSegmentWhenItHasReservedCharacters() {
    // Given
    server.then(Answer.ok("{\"id\":1}"));

    // When
    client().register("odd topic/name-value", SCHEMA);

    // Then
    assertThat(server.requests().get(0).path()).isEqualTo("/subjects/odd%20topic%2Fname-value/versions");
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(404, 40401, SubjectNotFoundException.class),
        Arguments.of(404, 40403, SchemaNotFoundException.class),
        Arguments.of(409, 409, IncompatibleSchemaException.class),
        Arguments.of(422, 42201, InvalidSchemaException.class),
        Arguments.of(401, 401, RegistryAuthenticationException.class),
        Arguments.of(403, 40301, RegistryAuthenticationException.class));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void shouldMapTheErrorCodeToItsExceptionWithoutRetryingWhenTheRegistryAnswers4xx(final int status,
      final int errorCode, final Class<? extends SchemaRegistryException> expected) {
    // Given
    server.always(Answer.error(status, errorCode, "registry says no"));

    // When / Then
    assertThatThrownBy(() -> client().register(SUBJECT, SCHEMA))
        .isInstanceOf(expected)
        .hasMessageContaining("registry says no")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(errorCode));
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void shouldNotCacheAFailureWhenTheSchemaIsRegisteredLater() {
    // Given
    server.then(Answer.error(404, 40403, "Schema not found"));
    final RestSchemaRegistry client = client();
    assertThatThrownBy(() -> client.byId(3)).isInstanceOf(SchemaNotFoundException.class);

    // When
    server.then(Answer.ok("{\"schema\":" + JSON.valueToTree(SCHEMA.toString()) + "}"));
    final Schema schema = client.byId(3);

    // Then
    assertThat(schema).isEqualTo(SCHEMA);
  }

  @Test
  void shouldRetryWhenTheRegistryAnswers5xx() {
    // Given
    server.then(Answer.error(500, 50001, "boom")).then(Answer.error(503, 50003, "busy"))
        .then(Answer.ok("{\"id\":11}"));

    // When
    final int id = client().register(SUBJECT, SCHEMA);

    // Then
    assertThat(id).isEqualTo(11);
    assertThat(server.requests()).hasSize(3).extracting(Request::path).containsOnly(
        "/subjects/aleph.messages.v1-value/versions");
  }

  @Test
  void shouldRetryWhenTheConnectionDropsWithoutAnAnswer() {
    // Given
    server.then(Answer.drop()).then(Answer.ok("{\"id\":12}"));

    // When
    final int id = client().register(SUBJECT, SCHEMA);

    // Then
    assertThat(id).isEqualTo(12);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void shouldGiveUpWithRegistryUnavailableWhenEveryRetryFails() {
    // Given
    server.always(Answer.error(502, 50002, "bad gateway"));
    final RestSchemaRegistry client = client(Map.of("max.retries", "2"));

    // When / Then
    assertThatThrownBy(() -> client.byId(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("3 attempt(s)")
        .hasMessageContaining("bad gateway");
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void shouldWaitLongerBetweenEachRetryWhenBackingOff() {
    // Given
    server.always(Answer.error(500, 50001, "down"));
    final RestSchemaRegistry client = client(Map.of("max.retries", "3", "retries.wait.ms", "40",
        "retries.max.wait.ms", "1000"));
    final long start = System.nanoTime();

    // When
    assertThatThrownBy(() -> client.byId(1)).isInstanceOf(RegistryUnavailableException.class);

    // Then: waits of 40, 80 and 160 ms
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(280);
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void shouldFailOverToTheNextUrlWhenTheFirstCannotBeReached() throws Exception {
    // Given
    final int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    server.always(Answer.ok("{\"id\":21}"));
    final RestSchemaRegistry client = client(Map.of("schema.registry.url",
        "http://127.0.0.1:" + deadPort + ", " + server.url(), "max.retries", "0"));

    // When
    final int id = client.register(SUBJECT, SCHEMA);
    final int other = client.register(SUBJECT, CrnMetric.getClassSchema());

    // Then
    assertThat(id).isEqualTo(21);
    assertThat(other).isEqualTo(21);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void shouldSendBasicAuthFromUserInfoWhenTheSourceIsUserInfo() {
    // Given
    server.always(Answer.ok("{\"id\":1}"));

    // When
    client(Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:s3cr:et"))
        .register(SUBJECT, SCHEMA);

    // Then
    assertThat(server.requests().get(0).headers()).containsEntry("authorization",
        "Basic " + base64("alice:s3cr:et"));
  }

  @Test
  void shouldAcceptConfluentsPrefixedKeysWhenConfiguringAuth() {
    // Given
    server.always(Answer.ok("{\"id\":1}"));

    // When
    client(Map.of("schema.registry.basic.auth.credentials.source", "USER_INFO",
        "schema.registry.basic.auth.user.info", "bob:pw")).register(SUBJECT, SCHEMA);

    // Then
    assertThat(server.requests().get(0).headers()).containsEntry("authorization", "Basic " + base64("bob:pw"));
  }

  @Test
  void shouldSendBasicAuthFromTheUrlWhenTheSourceIsUrl() {
    // Given
    server.always(Answer.ok("{\"id\":1}"));
    final RestSchemaRegistry client = client(Map.of("basic.auth.credentials.source", "URL",
        "schema.registry.url", "http://carol:p%40ss@127.0.0.1:" + server.port()));

    // When
    client.register(SUBJECT, SCHEMA);

    // Then
    assertThat(server.requests().get(0).headers()).containsEntry("authorization", "Basic " + base64("carol:p@ss"));
    assertThat(client.baseUrls()).extracting(Object::toString).containsExactly("http://127.0.0.1:" + server.port());
  }

  @Test
  void shouldSendTheBearerTokenAndClusterHeadersWhenATokenIsConfigured() {
    // Given
    server.always(Answer.ok("{\"id\":1}"));

    // When
    client(Map.of("bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok-123",
        "bearer.auth.logical.cluster", "lsrc-1", "bearer.auth.identity.pool.id", "pool-9",
        "basic.auth.user.info", "ignored:ignored")).register(SUBJECT, SCHEMA);

    // Then
    assertThat(server.requests().get(0).headers())
        .containsEntry("authorization", "Bearer tok-123")
        .containsEntry("target-sr-cluster", "lsrc-1")
        .containsEntry("confluent-identity-pool-id", "pool-9");
  }

  @Test
  void shouldReturnARestClientWhenTheUrlIsHttp() {
    // Given
    final Map<String, Object> config = Map.of("schema.registry.url", server.url() + "," + server.url());

    // When
    final SchemaRegistry registry = SchemaRegistries.fromConfig(config);

    // Then
    assertThat(registry).isInstanceOf(RestSchemaRegistry.class);
    assertThat(((RestSchemaRegistry) registry).baseUrls()).hasSize(2);
  }

  private static String base64(final String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldCallTheRegistryOncePerSchemaWhenSerdesRunInSteadyState() throws Exception {
    // Given
    server.then(Answer.ok("{\"id\":31}"))
        .then(Answer.ok(JSON.writeValueAsString(Map.of("schema", SCHEMA.toString()))));
    final Map<String, Object> config = Map.of("schema.registry.url", server.url(), "max.retries", "0");
    final AlephMessage message = AlephMessage.newBuilder().setItemHash("h").setType(MessageType.POST)
        .setChain("ETH").setSender("0xs").setTime(Instant.parse("2024-01-01T00:00:00Z")).build();
    final AvroSerializer<AlephMessage> serializer = new AvroSerializer<>();
    serializer.configure(config, false);
    final AvroDeserializer<AlephMessage> deserializer = new AvroDeserializer<>(null, AlephMessage.class);
    deserializer.configure(Map.of("schema.registry.url", server.url(), "max.retries", "1"), false);

    // When
    for (int i = 0; i < 50; i++) {
      assertThat(deserializer.deserialize("aleph.messages.v1", serializer.serialize("aleph.messages.v1", message)))
          .isEqualTo(message);
    }

    // Then
    assertThat(server.requests()).extracting(Request::method, Request::path).containsExactly(
        tuple("POST", "/subjects/aleph.messages.v1-value/versions"),
        tuple("GET", "/schemas/ids/31"));
  }
}
