import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

import javax.tools.ToolProvider;

import org.flywaydb.core.Flyway;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Jdbc;
import org.jooq.meta.jaxb.Target;

/**
 * Build step (run by exec-maven-plugin in generate-sources): migrates a throwaway embedded PostgreSQL with
 * the Flyway scripts in migrations/ and generates jOOQ classes from the result. Partition children and
 * Flyway's history table are excluded. Does nothing when migrations/ has not changed since the last run.
 *
 * <p>Arguments: migrations directory, output directory, scratch directory.
 */
public class JooqCodegen {

  private static final String EMBEDDED_POSTGRES = "src/main/java/aleph/pipeline/embedded/EmbeddedPostgres.java";

  public static void main(final String[] args) throws Exception {
    final Path migrations = Path.of(args[0]);
    final Path output = Path.of(args[1]);
    final Path scratch = Path.of(args[2]);
    final String fingerprint = fingerprint(migrations);
    final Path stamp = output.resolve(".migrations-fingerprint");
    if (Files.exists(stamp) && Files.readString(stamp).equals(fingerprint)) {
      System.out.println("[jooq-codegen] migrations unchanged, generated classes are up to date");
      return;
    }
    deleteRecursively(output);
    deleteRecursively(scratch.resolve("data"));
    try (AutoCloseable postgres = startPostgres(migrations.getParent(), scratch)) {
      final String url = (String) postgres.getClass().getMethod("jdbcUrl", String.class).invoke(postgres, "postgres");
      Flyway.configure().dataSource(url, "postgres", null)
          .locations("filesystem:" + migrations.toAbsolutePath()).load().migrate();
      GenerationTool.generate(new Configuration()
          .withJdbc(new Jdbc().withDriver("org.postgresql.Driver").withUrl(url).withUser("postgres"))
          .withGenerator(new Generator()
              .withDatabase(new Database()
                  .withName("org.jooq.meta.postgres.PostgresDatabase")
                  .withInputSchema("public")
                  .withIncludes(".*")
                  .withExcludes("flyway_schema_history|.*_\\d{4}_\\d{2}(_\\d{2})?|.*_default"))
              .withGenerate(new Generate().withJavaTimeTypes(true).withPojos(false).withDaos(false))
              .withTarget(new Target().withPackageName("aleph.pipeline.db.generated")
                  .withDirectory(output.toAbsolutePath().toString()))));
    }
    Files.writeString(stamp, fingerprint);
  }

  /** Compiles the project's embedded PostgreSQL launcher on its own, before the main compile exists. */
  private static AutoCloseable startPostgres(final Path projectDir, final Path scratch) throws Exception {
    final Path classes = scratch.resolve("classes");
    Files.createDirectories(classes);
    final int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        projectDir.resolve(EMBEDDED_POSTGRES).toString());
    if (rc != 0) {
      throw new IllegalStateException("could not compile " + EMBEDDED_POSTGRES);
    }
    final ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        JooqCodegen.class.getClassLoader());
    final Class<?> type = loader.loadClass("aleph.pipeline.embedded.EmbeddedPostgres");
    return (AutoCloseable) type.getMethod("start", Path.class, int.class, boolean.class)
        .invoke(null, scratch.resolve("data").toAbsolutePath(), 0, false);
  }

  private static String fingerprint(final Path migrations) throws Exception {
    final MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.list(migrations)) {
      for (Path file : files.sorted().toList()) {
        digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        digest.update(Files.readAllBytes(file));
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void deleteRecursively(final Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
        Files.delete(p);
      }
    }
  }

  private JooqCodegen() {
  }

  static {
    // Quiet jOOQ's banner and per-file logging in the build output.
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }
}
