package aleph.pipeline.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import aleph.pipeline.config.PipelineConfig;
import aleph.pipeline.importer.ImportSummary;
import aleph.pipeline.importer.KafkaMessageSink;
import aleph.pipeline.importer.MessageImporter;
import aleph.pipeline.importer.ProgressBar;
import aleph.pipeline.topology.Topics;

/**
 * {@code aleph-pipeline import FILE|-}: produces the Aleph messages of a JSON array, NDJSON or API page file to
 * the input topic. Invalid envelopes are reported (position and reason) and skipped. Exit code 0 when at least
 * one message was produced, 1 when none could be (or the broker is unreachable), 2 when the file is unreadable.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Produce Aleph messages from a JSON array, NDJSON or API page file (- for standard input) to "
        + "the input topic.")
public final class ImportCommand implements Callable<Integer> {

  static final int MAX_REPORTED = 100;

  @Mixin
  ConfigOptions config;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "Messages to import; - reads standard input.")
  String file;

  @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "10000",
      description = "How long to wait for the broker before giving up (default ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final PipelineConfig pipelineConfig = config.loadForClient();
    final String topic = Topics.from(pipelineConfig).messages();

    final AtomicLong bytesRead = new AtomicLong();
    final long totalBytes;
    final InputStream raw;
    try {
      if ("-".equals(file)) {
        raw = System.in;
        totalBytes = -1;
      } else {
        raw = Files.newInputStream(Path.of(file));
        totalBytes = Files.size(Path.of(file));
      }
    } catch (NoSuchFileException e) {
      err.println("error: no such file: " + file);
      return 2;
    } catch (IOException e) {
      err.println("error: cannot read " + file + ": " + e.getMessage());
      return 2;
    }

    final boolean terminal = System.console() != null;
    final ProgressBar bar = terminal ? new ProgressBar(err, totalBytes) : null;
    final ImportSummary summary;
    try (Reader input = new InputStreamReader(new CountingStream(raw, bytesRead), StandardCharsets.UTF_8);
        KafkaMessageSink sink = KafkaMessageSink.connect(pipelineConfig, topic, Duration.ofMillis(timeoutMs))) {
      summary = new MessageImporter().run(input, sink, new MessageImporter.Listener() {
        // Send failures are reported from the producer's I/O thread, validation failures from this one.
        private final AtomicInteger reported = new AtomicInteger();

        @Override
        public synchronized void rejected(final String position, final String reason, final String detail) {
          final int count = reported.incrementAndGet();
          if (count <= MAX_REPORTED) {
            err.println((terminal ? "\r\033[K" : "") + "skipped " + position + ": " + reason + " (" + detail + ")");
          } else if (count == MAX_REPORTED + 1) {
            err.println((terminal ? "\r\033[K" : "") + "further rejections are only counted");
          }
        }

        @Override
        public void progress(final long produced, final long skipped) {
          if (bar != null) {
            bar.update(bytesRead.get(), produced, skipped, false);
          }
        }
      });
    } catch (KafkaMessageSink.UnavailableException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    if (bar != null) {
      bar.update(bytesRead.get(), summary.produced(), summary.skippedTotal(), true);
      bar.finish();
    }
    out.println(summary.describe(topic));
    out.flush();
    if (summary.produced() == 0) {
      err.println("error: no message could be produced");
      return 1;
    }
    return 0;
  }

  /** Counts bytes read, for the progress bar. */
  private static final class CountingStream extends FilterInputStream {
    private final AtomicLong count;

    CountingStream(final InputStream in, final AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      final int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(final byte[] buffer, final int off, final int len) throws IOException {
      final int n = super.read(buffer, off, len);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }
}
