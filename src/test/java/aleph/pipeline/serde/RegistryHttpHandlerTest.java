package aleph.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.MessageType;
import aleph.pipeline.avro.metrics.CrnMetric;
import aleph.pipeline.serde.SchemaRegistryException.IncompatibleSchemaException;
import aleph.pipeline.serde.SchemaRegistryException.SchemaNotFoundException;
import aleph.pipeline.serde.SchemaRegistryException.SubjectNotFoundException;

class RegistryHttpHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/registry";
  private static final String SUBJECT = "aleph.messages.v1-value";

  private HttpServer server;
  private MockSchemaRegistry backing;
  private String url;

  @BeforeEach
  void start() throws Exception {
    backing = new MockSchemaRegistry();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    RegistryHttpHandler.mount(server, PREFIX, backing);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX;
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RestSchemaRegistry client() {
    return RestSchemaRegistry.fromConfig(Map.of("schema.registry.url", url, "max.retries", "0"));
  }

  @Test
  void shouldShareTheBackingRegistryWhenAClientRegistersOverHttp() {
    // Given
    final RestSchemaRegistry client = client();

    // When
    final int id = client.register(SUBJECT, AlephMessage.getClassSchema());

    // Then
    assertThat(backing.byId(id)).isEqualTo(AlephMessage.getClassSchema());
    assertThat(client().byId(id)).isEqualTo(AlephMessage.getClassSchema());
    assertThat(client().lookup(SUBJECT, AlephMessage.getClassSchema()))
        .isEqualTo(new SchemaRegistry.RegisteredSchema(SUBJECT, 1, id, AlephMessage.getClassSchema()));
    assertThat(client().latest(SUBJECT))
        .isEqualTo(new SchemaRegistry.RegisteredSchema(SUBJECT, 1, id, AlephMessage.getClassSchema()));
  }

  @Test
  void shouldAnswerCompatibilityAsTheBackingRegistryWhenAskedOverHttp() {
    // Given
    backing.register(SUBJECT, AlephMessage.getClassSchema());
    final Schema unrelated = SchemaBuilder.record("AlephMessage").namespace("aleph.pipeline.avro.message")
        .fields().requiredString("somethingElse").endRecord();

    // When
    final boolean same = client().isCompatible(SUBJECT, AlephMessage.getClassSchema());
    final boolean breaking = client().isCompatible(SUBJECT, unrelated);

    // Then
    assertThat(same).isTrue();
    assertThat(breaking).isFalse();
    assertThatThrownBy(() -> client().register(SUBJECT, unrelated)).isInstanceOf(IncompatibleSchemaException.class);
  }

  @Test
  void shouldMapMissingSubjectsAndSchemasToTheirExceptionsWhenServedOverHttp() {
    // Given
    backing.register(SUBJECT, AlephMessage.getClassSchema());
    final RestSchemaRegistry client = client();

    // When / Then
    assertThatThrownBy(() -> client.latest("nothing-value")).isInstanceOf(SubjectNotFoundException.class);
    assertThatThrownBy(() -> client.idOf(SUBJECT, CrnMetric.getClassSchema()))
        .isInstanceOf(SchemaNotFoundException.class);
    assertThatThrownBy(() -> client.byId(999)).isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("999");
  }

  @Test
  void shouldAnswerConfluentErrorBodiesWhenTheRequestIsInvalid() throws Exception {
    // Given
    final HttpClient http = HttpClient.newHttpClient();

    // When
    final HttpResponse<String> invalid = http.send(
        HttpRequest.newBuilder(URI.create(url + "/subjects/s-value/versions"))
        .header("Content-Type", RestSchemaRegistry.CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    final HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(url + "/schemas/ids/77")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    final HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(url + "/schemas/ids/1"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(invalid.body()).get("error_code").asInt()).isEqualTo(42201);
    assertThat(unknown.statusCode()).isEqualTo(404);
    final JsonNode notFound = JSON.readTree(unknown.body());
    assertThat(notFound.get("error_code").asInt()).isEqualTo(40403);
    assertThat(unknown.headers().firstValue("Content-Type")).contains(RestSchemaRegistry.CONTENT_TYPE);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }

  @Test
  void shouldRoundTripRecordsBetweenTwoSerdesWhenBothUseTheHttpRegistry() {
    // Given
    final Map<String, Object> config = Map.of("schema.registry.url", url);
    final SerdeFactory producerSide = new SerdeFactory(config);
    final SerdeFactory consumerSide = new SerdeFactory(config);
    final AlephMessage message = AlephMessage.newBuilder().setItemHash("h").setType(MessageType.POST)
        .setChain("ETH").setSender("0xs").setTime(Instant.parse("2024-01-02T03:04:05.123456Z")).build();

    // When
    final byte[] bytes = producerSide.value(AlephMessage.class).serializer().serialize("aleph.messages.v1", message);
    final AlephMessage back = consumerSide.value(AlephMessage.class).deserializer()
        .deserialize("aleph.messages.v1", bytes);

    // Then
    assertThat(back).isEqualTo(message);
    assertThat(backing.latest(SUBJECT).schema()).isEqualTo(AlephMessage.getClassSchema());
  }

  @Test
  void shouldListSubjectsAndTheCompatibilityLevelWhenAnOperatorAsks() throws Exception {
    // Given
    backing.register("b-value", AlephMessage.getClassSchema());
    backing.register("a-value", CrnMetric.getClassSchema());
    final HttpClient http = HttpClient.newHttpClient();

    // When
    final HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    final HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(url + "/config")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());

    // Then
    assertThat(subjects.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(subjects.body())).extracting(JsonNode::asText).containsExactly("a-value", "b-value");
    assertThat(JSON.readTree(config.body()).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }
}
