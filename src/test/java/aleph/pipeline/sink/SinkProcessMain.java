package aleph.pipeline.sink;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.serde.SerdeFactory;

/** Runs a {@link JdbcSink} in its own JVM (for the crash test) from a properties file given as the argument. */
public final class SinkProcessMain {

  private SinkProcessMain() {
  }

  public static void main(final String[] args) throws Exception {
    final Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      properties.load(in);
    }
    final Map<String, Object> settings = new HashMap<>();
    properties.forEach((key, value) -> settings.put(key.toString(), value));
    final PipelineConfig config = new PipelineConfig(settings);
    // This JVM's mock registry must hand out the same schema ids as the producing test's.
    SinkFixtures.registerInFixedOrder(new SerdeFactory(config.serdeProperties()));
    try (JdbcSink sink = new JdbcSink(config)) {
      sink.run();
    }
  }
}
