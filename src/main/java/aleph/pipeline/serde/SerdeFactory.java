package aleph.pipeline.serde;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes for the pipeline's topics: String keys, Avro values in the Confluent wire format. */
public final class SerdeFactory {

  private final Map<String, ?> serdeConfig;

  public SerdeFactory(final Map<String, ?> serdeConfig) {
    this.serdeConfig = Map.copyOf(serdeConfig);
  }

  public Map<String, ?> config() {
    return serdeConfig;
  }

  public <T extends SpecificRecord> Serde<T> value(final Class<T> type) {
    final AvroSerializer<T> serializer = new AvroSerializer<>();
    final AvroDeserializer<T> deserializer = new AvroDeserializer<>(null, type);
    serializer.configure(serdeConfig, false);
    deserializer.configure(serdeConfig, false);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  public Serde<String> key() {
    return Serdes.String();
  }
}
