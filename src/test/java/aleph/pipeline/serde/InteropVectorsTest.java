package aleph.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import aleph.pipeline.avro.credit.CreditBucket;

/**
 * Bytes written by Confluent's own serializer (its JavaScript client, see tools/interop-vectors) decode with our
 * deserializer to the expected values, and our serializer writes the same values to the same bytes.
 */
class InteropVectorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "mock://unused",
      "auto.register.schemas", false);

  private static JsonNode file;
  private static MockSchemaRegistry registry;

  /** The contracts the vectors cover: every topic value schema, and one record used as a key. */
  private static final Map<Class<?>, Schema> TYPES = new HashMap<>(AvroArbitraries.TOPIC_VALUES);

  static {
    TYPES.put(CreditBucket.class, CreditBucket.getClassSchema());
  }

  record Vector(String name, String topic, String subject, boolean isKey, int schemaId, Schema schema,
      JsonNode value, byte[] bytes) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void registerInVectorOrder() throws IOException {
    try (InputStream in = InteropVectorsTest.class.getResourceAsStream("/interop/vectors.json")) {
      file = JSON.readTree(in);
    }
    // Ids are global and handed out in registration order, so registering in the generator's order
    // reproduces the ids the vectors were written with.
    registry = new MockSchemaRegistry();
    final Set<String> registered = new HashSet<>();
    for (final Vector vector : vectors().toList()) {
      if (registered.add(vector.subject())) {
        assertThat(registry.register(vector.subject(), vector.schema())).as(vector.name())
            .isEqualTo(vector.schemaId());
      }
    }
  }

  static Stream<Vector> vectors() {
    final List<Vector> vectors = new ArrayList<>();
    file.get("vectors").forEach(v -> vectors.add(new Vector(v.get("name").asText(), v.get("topic").asText(),
        v.get("subject").asText(), v.get("isKey").asBoolean(), v.get("schemaId").asInt(),
        new Schema.Parser().parse(v.get("schema").asText()),
        v.get("value"), HexFormat.of().parseHex(v.get("hex").asText()))));
    return vectors.stream();
  }

  @Test
  void shouldCoverEveryTopicValueSchemaWhenTheVectorsWereGenerated() {
    // Given
    final Set<String> covered = new HashSet<>();

    // When
    vectors().forEach(v -> covered.add(SchemaNormalization.toParsingForm(v.schema())));

    // Then
    assertThat(file.get("generator").asText()).contains("@confluentinc/schemaregistry");
    assertThat(covered).containsExactlyInAnyOrderElementsOf(TYPES.values().stream()
        .map(SchemaNormalization::toParsingForm).toList());
    assertThat(vectors().filter(Vector::isKey)).extracting(Vector::subject).containsExactly("interop.keyed.v1-key");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void shouldDecodeToTheExpectedValueWhenConfluentWroteTheBytes(final Vector vector) {
    // Given
    final AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry, null);
    deserializer.configure(CONFIG, vector.isKey());

    // When
    final GenericRecord decoded = deserializer.deserialize(vector.topic(), vector.bytes());

    // Then
    assertThat(decoded.getSchema()).isEqualTo(vector.schema());
    assertThat(decoded).isEqualTo(fromJson(vector.schema(), vector.value()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void shouldWriteConfluentsBytesExactlyWhenSerializingTheSameValue(final Vector vector) {
    // Given
    final AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, vector.isKey());
    final Object value = fromJson(vector.schema(), vector.value());

    // When
    final byte[] bytes = serializer.serialize(vector.topic(), value);

    // Then
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(HexFormat.of().formatHex(vector.bytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldRoundTripThroughTheGeneratedClassWhenConfluentWroteTheBytes(final Vector vector) {
    // Given
    final Class<?> type = TYPES.entrySet().stream()
        .filter(e -> SchemaNormalization.toParsingForm(e.getValue())
            .equals(SchemaNormalization.toParsingForm(vector.schema())))
        .findFirst().orElseThrow().getKey();
    final AvroDeserializer<?> deserializer = new AvroDeserializer<>(registry, (Class) type);
    deserializer.configure(CONFIG, vector.isKey());
    final AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    serializer.configure(CONFIG, vector.isKey());

    // When
    final Object specific = deserializer.deserialize(vector.topic(), vector.bytes());
    final byte[] again = serializer.serialize(vector.topic(), specific);

    // Then
    assertThat(specific).isInstanceOf(type).isInstanceOf(SpecificRecord.class);
    assertThat(again).isEqualTo(vector.bytes());
  }

  /** The vector's plain JSON as an Avro datum: unions unwrapped, enums as symbols, longs as decimal strings. */
  private static Object fromJson(final Schema schema, final JsonNode node) {
    switch (schema.getType()) {
      case RECORD -> {
        final GenericData.Record record = new GenericData.Record(schema);
        for (final Schema.Field field : schema.getFields()) {
          record.put(field.pos(), fromJson(field.schema(), node.get(field.name())));
        }
        return record;
      }
      case UNION -> {
        if (node == null || node.isNull()) {
          assertThat(schema.getTypes()).extracting(Schema::getType).contains(Schema.Type.NULL);
          return null;
        }
        final List<Schema> branches = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        assertThat(branches).as("unions of null and one type only").hasSize(1);
        return fromJson(branches.get(0), node);
      }
      case ENUM -> {
        assertThat(schema.getEnumSymbols()).contains(node.asText());
        return new GenericData.EnumSymbol(schema, node.asText());
      }
      case ARRAY -> {
        final List<Object> items = new ArrayList<>();
        node.forEach(item -> items.add(fromJson(schema.getElementType(), item)));
        return new GenericData.Array<>(schema, items);
      }
      case STRING -> {
        assertThat(node.isTextual()).as("string %s", node).isTrue();
        return node.asText();
      }
      case LONG -> {
        return node.isTextual() ? Long.parseLong(node.asText()) : node.longValue();
      }
      case INT -> {
        assertThat(node.isInt()).as("int %s", node).isTrue();
        return node.intValue();
      }
      case DOUBLE -> {
        assertThat(node.isNumber()).as("double %s", node).isTrue();
        return node.doubleValue();
      }
      default -> throw new IllegalArgumentException("no vector mapping for " + schema);
    }
  }
}
