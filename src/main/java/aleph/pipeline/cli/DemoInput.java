package aleph.pipeline.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.importer.ImportSummary;
import aleph.pipeline.importer.MessageImporter;

/** Reads the user's message file for {@code demo --input} with the import path's reader and validation. */
final class DemoInput {

  private DemoInput() {
  }

  static List<AlephMessage> read(final Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read " + file);
    }
    final List<AlephMessage> messages = new ArrayList<>();
    final ImportSummary summary;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      summary = new MessageImporter().run(reader, new MessageImporter.Sink() {
        @Override
        public void send(final AlephMessage message, final Consumer<Exception> done) {
          messages.add(message);
          done.accept(null);
        }

        @Override
        public void flush() {
        }
      }, (position, reason, detail) -> System.out.printf("skipped %s: %s (%s)%n", position, reason, detail));
    }
    if (messages.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no valid Aleph message (" + summary + ")");
    }
    return messages;
  }
}
