package aleph.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import aleph.pipeline.avro.credit.BalanceCause;
import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.credit.CreditBucket;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.message.ItemType;
import aleph.pipeline.avro.message.MessageType;

class AvroSerdeTest {

  private static final String TOPIC = "aleph.messages.v1";
  private static final String SCOPE = "AvroSerdeTest";

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  private static SerdeFactory serdes(final Map<String, Object> extra) {
    final Map<String, Object> config = new HashMap<>();
    config.put("schema.registry.url", "mock://" + SCOPE);
    config.putAll(extra);
    return new SerdeFactory(config);
  }

  private static MockSchemaRegistry registry() {
    return MockSchemaRegistry.forScope(SCOPE);
  }

  private static AlephMessage message() {
    return AlephMessage.newBuilder().setItemHash("abc").setType(MessageType.POST).setChain("ETH")
        .setSender("0xsender").setChannel("aleph-scoring").setItemType(ItemType.INLINE)
        .setItemContent("{\"a\":1}").setTime(Instant.parse("2024-05-06T07:08:09.123456Z")).build();
  }

  private static byte[] plainAvro(final AlephMessage message) throws Exception {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(AlephMessage.class).write(message, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Test
  void shouldWriteMagicByteBigEndianIdAndAvroBodyWhenSerializing() throws Exception {
    // Given
    final Serde<AlephMessage> serde = serdes(Map.of()).value(AlephMessage.class);

    // When
    final byte[] bytes = serde.serializer().serialize(TOPIC, message());

    // Then
    final int id = registry().idOf(TOPIC + "-value", AlephMessage.getClassSchema());
    assertThat(bytes[0]).isZero();
    assertThat(Arrays.copyOfRange(bytes, 1, 5)).isEqualTo(ByteBuffer.allocate(4).putInt(id).array());
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(message()));
    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(message());
  }

  @Test
  void shouldRegisterUnderTopicKeyAndValueSubjectsWhenUsedForKeysAndValues() {
    // Given
    final SerdeFactory serdes = serdes(Map.of());
    final CreditBucket key = CreditBucket.newBuilder().setAmount(5L).setExpiration(null).build();

    // When
    final byte[] keyBytes = serdes.avroKey(CreditBucket.class).serializer().serialize(TOPIC, key);
    serdes.value(AlephMessage.class).serializer().serialize(TOPIC, message());

    // Then
    assertThat(registry().latest(TOPIC + "-key").schema()).isEqualTo(CreditBucket.getClassSchema());
    assertThat(registry().latest(TOPIC + "-value").schema()).isEqualTo(AlephMessage.getClassSchema());
    assertThat(serdes.avroKey(CreditBucket.class).deserializer().deserialize(TOPIC, keyBytes)).isEqualTo(key);
  }

  @Test
  void shouldWriteTheSameBytesWhenTheRecordIsGenericInsteadOfSpecific() {
    // Given
    final SerdeFactory serdes = serdes(Map.of());
    final byte[] specific = serdes.value(AlephMessage.class).serializer().serialize(TOPIC, message());
    final GenericRecord generic = serdes.genericValue().deserializer().deserialize(TOPIC, specific);

    // When
    final byte[] regenerated = serdes.genericValue().serializer().serialize(TOPIC, generic);

    // Then
    assertThat(generic.get("itemHash").toString()).isEqualTo("abc");
    assertThat(generic.get("time")).isEqualTo(1714979289123456L);
    assertThat(regenerated).isEqualTo(specific);
  }

  @Test
  void shouldFailClearlyWhenAutoRegisterIsOffAndTheSchemaIsNotRegistered() {
    // Given
    final Serde<AlephMessage> serde = serdes(Map.of("auto.register.schemas", false)).value(AlephMessage.class);

    // When / Then
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, message()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(TOPIC + "-value")
        .hasMessageContaining("auto.register.schemas=false");
  }

  @Test
  void shouldUseTheRegisteredIdWithoutRegisteringWhenAutoRegisterIsOff() {
    // Given
    final int id = registry().register(TOPIC + "-value", AlephMessage.getClassSchema());
    final Serde<AlephMessage> serde = serdes(Map.of("auto.register.schemas", "false")).value(AlephMessage.class);

    // When
    final byte[] bytes = serde.serializer().serialize(TOPIC, message());

    // Then
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(registry().latest(TOPIC + "-value").version()).isEqualTo(1);
  }

  @Test
  void shouldWriteWithTheLatestSchemaWhenUseLatestVersionIsOn() {
    // Given
    final Schema v2 = SchemaEvolution.v2Of(AlephMessage.getClassSchema());
    registry().register(TOPIC + "-value", AlephMessage.getClassSchema());
    final int v2Id = registry().register(TOPIC + "-value", v2);
    final SerdeFactory serdes = serdes(Map.of("use.latest.version", true, "auto.register.schemas", false));

    // When
    final byte[] bytes = serdes.value(AlephMessage.class).serializer().serialize(TOPIC, message());

    // Then
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2Id);
    final GenericRecord asV2 = serdes.genericValue().deserializer().deserialize(TOPIC, bytes);
    assertThat(asV2.getSchema()).isEqualTo(v2);
    assertThat(asV2.get(SchemaEvolution.ADDED_FIELD).toString()).isEqualTo(SchemaEvolution.ADDED_DEFAULT);
    assertThat(serdes.value(AlephMessage.class).deserializer().deserialize(TOPIC, bytes)).isEqualTo(message());
  }

  @Test
  void shouldNameTheMagicByteWhenItIsNotZero() {
    // Given
    final byte[] bytes = serdes(Map.of()).value(AlephMessage.class).serializer().serialize(TOPIC, message());
    bytes[0] = 7;

    // When / Then
    assertThatThrownBy(() -> serdes(Map.of()).value(AlephMessage.class).deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x07")
        .hasMessageContaining(TOPIC);
  }

  @Test
  void shouldSayTheRecordIsTooShortWhenItHasNoFullHeader() {
    // Given
    final byte[] bytes = {0, 0, 1};

    // When / Then
    assertThatThrownBy(() -> serdes(Map.of()).value(AlephMessage.class).deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 byte(s)")
        .hasMessageContaining("too short");
  }

  @Test
  void shouldNameTheUnknownIdWhenTheRegistryDoesNotHaveIt() {
    // Given
    final byte[] bytes = serdes(Map.of()).value(AlephMessage.class).serializer().serialize(TOPIC, message());
    ByteBuffer.wrap(bytes).putInt(1, 4242);

    // When / Then
    assertThatThrownBy(() -> serdes(Map.of()).value(AlephMessage.class).deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown schema id 4242")
        .hasCauseInstanceOf(SchemaRegistryException.SchemaNotFoundException.class);
  }

  @Test
  void shouldSayTheBodyIsTruncatedWhenItEndsEarly() {
    // Given
    final byte[] full = serdes(Map.of()).value(AlephMessage.class).serializer().serialize(TOPIC, message());
    final byte[] bytes = Arrays.copyOf(full, full.length - 10);

    // When / Then
    assertThatThrownBy(() -> serdes(Map.of()).value(AlephMessage.class).deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Truncated Avro body");
  }

  @Test
  void shouldRefuseTrailingBytesWhenTheBodyIsLongerThanTheRecord() {
    // Given
    final byte[] full = serdes(Map.of()).value(AlephMessage.class).serializer().serialize(TOPIC, message());
    final byte[] bytes = Arrays.copyOf(full, full.length + 3);

    // When / Then
    assertThatThrownBy(() -> serdes(Map.of()).value(AlephMessage.class).deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void shouldPassNullsThroughWhenTheRecordIsATombstone() {
    // Given
    final Serde<AlephMessage> serde = serdes(Map.of()).value(AlephMessage.class);

    // When
    final byte[] bytes = serde.serializer().serialize(TOPIC, null);

    // Then
    assertThat(bytes).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldRefuseNonAvroObjectsWhenSerializing() {
    // Given
    @SuppressWarnings({"unchecked", "rawtypes"})
    final AvroSerializer<Object> serializer = new AvroSerializer(registry());
    serializer.configure(Map.of("schema.registry.url", "mock://" + SCOPE), false);

    // When / Then
    assertThatThrownBy(() -> serializer.serialize(TOPIC, "plain string"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Not an Avro record: java.lang.String");
  }

  @Test
  void shouldReadGenericRecordsInTheWritersSchemaWhenNoClassIsGiven() {
    // Given
    final Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Probe\",\"fields\":["
        + "{\"name\":\"n\",\"type\":\"long\"},{\"name\":\"s\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    final GenericRecord record = new GenericData.Record(schema);
    record.put("n", Long.MIN_VALUE);
    record.put("s", "ü");
    final Serde<GenericRecord> serde = serdes(Map.of()).genericValue();

    // When
    final GenericRecord back = serde.deserializer().deserialize("probe",
        serde.serializer().serialize("probe", record));

    // Then
    assertThat(back.getSchema()).isEqualTo(schema);
    assertThat(back.get("n")).isEqualTo(Long.MIN_VALUE);
    assertThat(back.get("s").toString()).isEqualTo("ü");
  }

  @Test
  void shouldCompareDecodedBalancesByValueWhenBucketsHaveExpirations() {
    // Given
    final Serde<CreditBalance> serde = serdes(Map.of()).value(CreditBalance.class);
    final CreditBalance balance = CreditBalance.newBuilder().setAddress("0xa").setTotal(3L)
        .setBuckets(List.of(new CreditBucket(null, 1L), new CreditBucket(Instant.parse("2030-01-01T00:00:00Z"), 2L)))
        .setAsOf(Instant.parse("2025-01-01T00:00:00.000001Z")).setCause(BalanceCause.GRANT).build();
    final byte[] bytes = serde.serializer().serialize("aleph.credit.balances.v1", balance);

    // When
    final CreditBalance first = serde.deserializer().deserialize("aleph.credit.balances.v1", bytes);
    final CreditBalance second = serde.deserializer().deserialize("aleph.credit.balances.v1", bytes);

    // Then
    assertThat(first).isEqualTo(second).isEqualTo(balance).hasSameHashCodeAs(second);
  }

  @Test
  void shouldFailClearlyWhenTheLatestSchemaCannotRepresentTheRecord() {
    // Given
    final Schema unrelated = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"AlephMessage\","
        + "\"namespace\":\"aleph.pipeline.avro.message\",\"fields\":[{\"name\":\"other\",\"type\":\"int\"}]}");
    registry().register(TOPIC + "-value", unrelated);
    final Serde<AlephMessage> serde = serdes(Map.of("use.latest.version", true)).value(AlephMessage.class);

    // When / Then
    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, message()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("latest schema cannot represent");
  }
}
