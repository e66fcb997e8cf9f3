package aleph.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Serialize-then-deserialize is the identity for random records of every topic value schema, edges included
 * (unicode, empty strings, NaN/±∞ doubles, Long.MIN/MAX), for GenericRecords and for the generated classes.
 */
class SerdeRoundTripPropertiesTest {

  private static final String SCOPE = "SerdeRoundTripPropertiesTest";
  private static final SerdeFactory SERDES = new SerdeFactory(Map.of("schema.registry.url", "mock://" + SCOPE));

  @AfterContainer
  static void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  @Provide
  Arbitrary<GenericRecord> records() {
    return Arbitraries.of(AvroArbitraries.TOPIC_VALUES.values().toArray(new Schema[0]))
        .flatMap(AvroArbitraries::of)
        .map(GenericRecord.class::cast);
  }

  private static String topicOf(final GenericRecord record) {
    return "roundtrip." + record.getSchema().getName();
  }

  @Property(tries = 400)
  void shouldReturnAnEqualGenericRecordWhenSerializedAndDeserialized(@ForAll("records") final GenericRecord record) {
    // Given
    final String topic = topicOf(record);

    // When
    final byte[] bytes = SERDES.genericValue().serializer().serialize(topic, record);
    final GenericRecord back = SERDES.genericValue().deserializer().deserialize(topic, bytes);

    // Then
    assertThat(back).isEqualTo(record);
    assertThat(back.getSchema()).isEqualTo(record.getSchema());
  }

  @Property(tries = 400)
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldReproduceTheSameBytesWhenReadIntoTheGeneratedClassAndWrittenAgain(
      @ForAll("records") final GenericRecord record) {
    // Given
    final String topic = topicOf(record);
    final Class<? extends SpecificRecord> type = AvroArbitraries.TOPIC_VALUES.entrySet().stream()
        .filter(e -> e.getValue().equals(record.getSchema())).findFirst().orElseThrow().getKey()
        .asSubclass(SpecificRecord.class);
    final byte[] bytes = SERDES.genericValue().serializer().serialize(topic, record);

    // When
    final SpecificRecord specific =
        (SpecificRecord) SERDES.value((Class) type).deserializer().deserialize(topic, bytes);
    final byte[] again = SERDES.value((Class) type).serializer().serialize(topic, specific);

    // Then
    assertThat(specific).isInstanceOf(type);
    assertThat(again).isEqualTo(bytes);
    assertThat(SERDES.value((Class) type).deserializer().deserialize(topic, again)).isEqualTo(specific);
  }
}
