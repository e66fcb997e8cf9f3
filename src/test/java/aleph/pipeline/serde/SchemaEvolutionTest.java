package aleph.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import aleph.pipeline.avro.message.AcceptedMessage;
import aleph.pipeline.avro.message.MessageKind;
import aleph.pipeline.avro.message.MessageType;

/**
 * For every topic's value schema: a v2 that adds a defaulted field to each record and a symbol to each enum can
 * read v1 data, and v1 readers (the generated classes) can read v2 data, through the registry and the serde.
 */
class SchemaEvolutionTest {

  private static final String TOPIC = "evolving.topic.v1";
  private static final String SUBJECT = TOPIC + "-value";
  private static final int SAMPLES = 40;

  private final String scope = "SchemaEvolutionTest-" + System.identityHashCode(this);

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(scope);
  }

  static Stream<Class<?>> topicValueClasses() {
    return AvroArbitraries.TOPIC_VALUES.keySet().stream().sorted((a, b) -> a.getName().compareTo(b.getName()));
  }

  private SerdeFactory serdes() {
    return new SerdeFactory(Map.of("schema.registry.url", "mock://" + scope));
  }

  private MockSchemaRegistry registry() {
    return MockSchemaRegistry.forScope(scope);
  }

  private static List<GenericRecord> samples(final Schema schema) {
    return AvroArbitraries.of(schema).sampleStream().limit(SAMPLES).map(GenericRecord.class::cast).toList();
  }

  @ParameterizedTest
  @MethodSource("topicValueClasses")
  void shouldBeCompatibleBothWaysWhenV2AddsDefaultedFieldsAndEnumSymbols(final Class<?> type) {
    // Given
    final Schema v1 = AvroArbitraries.TOPIC_VALUES.get(type);
    final Schema v2 = SchemaEvolution.v2Of(v1);
    registry().register(SUBJECT, v1);

    // When
    final SchemaCompatibilityType v2ReadsV1 = SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType();
    final SchemaCompatibilityType v1ReadsV2 = SchemaCompatibility.checkReaderWriterCompatibility(v1, v2).getType();
    final int v2Id = registry().register(SUBJECT, v2);

    // Then
    assertThat(v2).isNotEqualTo(v1);
    assertThat(v2ReadsV1).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(v1ReadsV2).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(registry().latest(SUBJECT).id()).isEqualTo(v2Id);
  }

  @ParameterizedTest
  @MethodSource("topicValueClasses")
  void shouldReadV1RecordsWithTheDefaultWhenTheReaderIsV2(final Class<?> type) throws IOException {
    // Given
    final Schema v1 = AvroArbitraries.TOPIC_VALUES.get(type);
    final Schema v2 = SchemaEvolution.v2Of(v1);
    final Serializer<GenericRecord> v1Writer = serdes().genericValue().serializer();

    for (final GenericRecord original : samples(v1)) {
      // When
      final byte[] bytes = v1Writer.serialize(TOPIC, original);
      final Schema writer = registry().byId(ByteBuffer.wrap(bytes, 1, 4).getInt());
      final GenericRecord asV2 = new GenericDatumReader<GenericRecord>(writer, v2).read(null,
          DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

      // Then
      assertThat(writer).isEqualTo(v1);
      assertThat(asV2.get(SchemaEvolution.ADDED_FIELD).toString()).isEqualTo(SchemaEvolution.ADDED_DEFAULT);
      assertThat(project(asV2, v2, v1)).isEqualTo(original);
    }
  }

  @ParameterizedTest
  @MethodSource("topicValueClasses")
  void shouldReadV2RecordsWithTheGeneratedClassWhenTheyCarryAddedFields(final Class<?> type) throws IOException {
    assertV1ClassReadsV2(type, false);
  }

  @ParameterizedTest
  @MethodSource("topicValueClasses")
  void shouldFallBackToTheEnumDefaultWhenAV2WriterUsesANewSymbol(final Class<?> type) throws IOException {
    assertV1ClassReadsV2(type, true);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void assertV1ClassReadsV2(final Class<?> type, final boolean newSymbols) throws IOException {
    // Given
    final Schema v1 = AvroArbitraries.TOPIC_VALUES.get(type);
    final Schema v2 = SchemaEvolution.v2Of(v1);
    registry().register(SUBJECT, v1);
    final Serializer<GenericRecord> v2Writer = serdes().genericValue().serializer();
    final org.apache.kafka.common.serialization.Deserializer<? extends SpecificRecord> v1Reader =
        serdes().value((Class) type).deserializer();

    for (final GenericRecord original : samples(v1)) {
      final GenericRecord written = (GenericRecord) SchemaEvolution.upgrade(original, v1, v2, newSymbols);

      // When
      final byte[] bytes = v2Writer.serialize(TOPIC, written);
      final SpecificRecord read = v1Reader.deserialize(TOPIC, bytes);

      // Then
      assertThat(registry().byId(ByteBuffer.wrap(bytes, 1, 4).getInt())).isEqualTo(v2);
      final Object expected = newSymbols ? SchemaEvolution.withEnumDefaults(original, v1) : original;
      assertThat(read).isInstanceOf(type);
      assertThat(encode(new SpecificDatumWriter<>(v1, SpecificData.getForClass(type)), read))
          .isEqualTo(encode(new GenericDatumWriter<>(v1), expected));
    }
  }

  @Test
  void shouldReadNewMessageTypeAndKindAsUnknownWhenAnOldReaderMeetsThem() {
    // Given
    final Schema v1 = AcceptedMessage.getClassSchema();
    final Schema v2 = SchemaEvolution.v2Of(v1);
    final GenericData.Record written = new GenericData.Record(v2);
    written.put("itemHash", "h");
    written.put("type", new GenericData.EnumSymbol(v2.getField("type").schema(), SchemaEvolution.ADDED_SYMBOL));
    written.put("chain", "ETH");
    written.put("sender", "0xs");
    written.put("time", 1_700_000_000_000_000L);
    written.put("owner", "0xo");
    written.put("content", "{}");
    written.put("size", 2L);
    written.put("kind", new GenericData.EnumSymbol(v2.getField("kind").schema(), SchemaEvolution.ADDED_SYMBOL));
    written.put(SchemaEvolution.ADDED_FIELD, "new data");
    final SerdeFactory serdes = serdes();

    // When
    final byte[] bytes = serdes.genericValue().serializer().serialize(TOPIC, written);
    final AcceptedMessage read = serdes.value(AcceptedMessage.class).deserializer().deserialize(TOPIC, bytes);

    // Then
    assertThat(read.getType()).isEqualTo(MessageType.UNKNOWN);
    assertThat(read.getKind()).isEqualTo(MessageKind.UNKNOWN);
    assertThat(read.getItemHash()).isEqualTo("h");
    assertThat(read.getTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(read.getChannel()).isNull();
  }

  @Test
  void shouldDeriveAV2ThatKeepsEveryV1FieldWhenEvolving() {
    // Given
    final Schema v1 = AcceptedMessage.getClassSchema();

    // When
    final Schema v2 = SchemaEvolution.v2Of(v1);

    // Then
    assertThat(v2.getFields()).extracting(Schema.Field::name).containsSubsequence(
        v1.getFields().stream().map(Schema.Field::name).toList()).endsWith(SchemaEvolution.ADDED_FIELD);
    assertThat(v2.getField("kind").schema().getEnumSymbols()).endsWith(SchemaEvolution.ADDED_SYMBOL);
    assertThat(v2.getField("kind").schema().getEnumDefault()).isEqualTo("UNKNOWN");
  }

  /** {@code datum} of {@code from} re-read as {@code to}: the v1 view of a v2 record. */
  private static GenericRecord project(final GenericRecord datum, final Schema from, final Schema to)
      throws IOException {
    final byte[] bytes = encode(new GenericDatumWriter<>(from), datum);
    return new GenericDatumReader<GenericRecord>(from, to).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  @SuppressWarnings("unchecked")
  private static byte[] encode(final DatumWriter<?> writer, final Object datum) throws IOException {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    ((DatumWriter<Object>) writer).write(datum, encoder);
    encoder.flush();
    return Arrays.copyOf(out.toByteArray(), out.size());
  }
}
