package aleph.pipeline.serde;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidatorBuilder;

import aleph.pipeline.serde.SchemaRegistryException.IncompatibleSchemaException;
import aleph.pipeline.serde.SchemaRegistryException.SchemaNotFoundException;
import aleph.pipeline.serde.SchemaRegistryException.SubjectNotFoundException;

/**
 * An in-memory registry for {@code mock://<scope>} URLs, shared by every client of the same scope in this JVM
 * (as Confluent's MockSchemaRegistry). Ids are global and start at 1; a schema registered under two subjects
 * keeps one id, as in the real registry. Compatibility is BACKWARD, the registry's default.
 */
public final class MockSchemaRegistry implements SchemaRegistry {

  private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();
  private static final ObjectMapper JOURNAL_JSON = new ObjectMapper();

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private final Map<String, List<Schema>> versions = new HashMap<>();
  private Path journal;

  /** A registry of its own, not shared through a scope. */
  public MockSchemaRegistry() {
  }

  public static MockSchemaRegistry forScope(final String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
  }

  public static void dropScope(final String scope) {
    SCOPES.remove(scope);
  }

  /**
   * Keeps this registry in {@code file}, one registration per line: what the file holds is registered again first
   * (in order, so every id comes back the same), then each new registration is appended and synced before its id
   * is handed out. The embedded runtime uses it so records written before a restart stay readable.
   */
  public synchronized void persistTo(final Path file) {
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            final JsonNode entry = JOURNAL_JSON.readTree(line);
            register(entry.get("subject").asText(), new Schema.Parser().parse(entry.get("schema").asText()));
          }
        }
      } else {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      journal = file;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("could not restore the schema registry from " + file + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public synchronized int register(final String subject, final Schema schema) {
    final List<Schema> subjectVersions = versions.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!subjectVersions.contains(schema)) {
      if (!isCompatible(subject, schema)) {
        throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for "
            + "subject \"" + subject + "\"", SchemaRegistryException.INCOMPATIBLE_SCHEMA);
      }
      append(subject, schema);
      subjectVersions.add(schema);
    }
    return idBySchema.computeIfAbsent(schema, s -> {
      final int id = byId.size() + 1;
      byId.put(id, s);
      return id;
    });
  }

  private void append(final String subject, final Schema schema) {
    if (journal == null) {
      return;
    }
    final String line = JOURNAL_JSON.createObjectNode().put("subject", subject).put("schema", schema.toString())
        + "\n";
    try {
      Files.writeString(journal, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new SchemaRegistryException("could not record the schema for subject " + subject + " in " + journal
          + ": " + e.getMessage(), 50001, e);
    }
  }

  @Override
  public synchronized int idOf(final String subject, final Schema schema) {
    return lookup(subject, schema).id();
  }

  @Override
  public synchronized RegisteredSchema lookup(final String subject, final Schema schema) {
    final List<Schema> subjectVersions = versions.get(subject);
    if (subjectVersions == null || subjectVersions.isEmpty()) {
      throw new SubjectNotFoundException("Subject '" + subject + "' not found.");
    }
    final int index = subjectVersions.indexOf(schema);
    if (index < 0) {
      throw new SchemaNotFoundException("Schema not found under subject '" + subject + "'",
          SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return new RegisteredSchema(subject, index + 1, idBySchema.get(schema), schema);
  }

  @Override
  public synchronized Schema byId(final int id) {
    final Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException("Schema " + id + " not found", SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema latest(final String subject) {
    final List<Schema> subjectVersions = versions.get(subject);
    if (subjectVersions == null || subjectVersions.isEmpty()) {
      throw new SubjectNotFoundException("Subject '" + subject + "' not found.");
    }
    final Schema schema = subjectVersions.get(subjectVersions.size() - 1);
    return new RegisteredSchema(subject, subjectVersions.size(), idBySchema.get(schema), schema);
  }

  @Override
  public synchronized List<String> subjects() {
    return versions.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted()
        .toList();
  }

  @Override
  public synchronized boolean isCompatible(final String subject, final Schema schema) {
    final List<Schema> subjectVersions = versions.get(subject);
    if (subjectVersions == null || subjectVersions.isEmpty()) {
      return true;
    }
    try {
      new SchemaValidatorBuilder().canReadStrategy().validateLatest()
          .validate(schema, List.of(subjectVersions.get(subjectVersions.size() - 1)));
      return true;
    } catch (SchemaValidationException e) {
      return false;
    }
  }
}
