package aleph.pipeline.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code <data.dir>/instance.json}: where a running embedded instance listens (broker, database, registry,
 * HTTP), so commands started from another terminal find it with no flags. Written by {@code run}/{@code demo
 * --follow}, removed on clean shutdown.
 */
public final class InstanceFile {

  public static final String FILE_NAME = "instance.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private InstanceFile() {
  }

  public static Path path(final Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /** Connection settings (configuration keys to values) of the instance running on {@code dataDir}, if any. */
  public static Optional<Map<String, String>> read(final Path dataDir) {
    final Path file = path(dataDir);
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    try {
      final Map<String, String> values = JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { });
      final String pid = values.get("pid");
      if (pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
        values.remove("pid");
        return Optional.of(values);
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static void write(final Path dataDir, final Map<String, String> settings) {
    try {
      Files.createDirectories(dataDir);
      final Map<String, String> values = new TreeMap<>(settings);
      values.put("pid", Long.toString(ProcessHandle.current().pid()));
      final Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), values);
      Files.move(tmp, path(dataDir), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + path(dataDir), e);
    }
  }

  public static void delete(final Path dataDir) {
    try {
      Files.deleteIfExists(path(dataDir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
