package aleph.pipeline.cli;

import java.nio.file.Path;
import java.util.List;

import aleph.pipeline.avro.message.AlephMessage;

/** Reads the user's message file for {@code demo --input}. */
final class DemoInput {

  private DemoInput() {
  }

  static List<AlephMessage> read(final Path file) {
    throw new IllegalArgumentException("demo --input is not available yet");
  }
}
