package aleph.pipeline.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import aleph.pipeline.message.Json;

/**
 * Streams envelopes out of an import file without loading it whole: a JSON array of messages, NDJSON (one
 * message per line; a bad line is reported and skipped), or the reference node's API page
 * {@code {"messages": [...]}} (also one page per NDJSON line, or several pretty-printed pages/messages in a
 * row). Each envelope comes with a position ({@code line N}, {@code index I (line N)}) for reports.
 */
public final class MessageReader {

  /** What the reader finds, in file order. */
  public interface Visitor {

    void envelope(String position, JsonNode envelope);

    /** Text that is not JSON at {@code position}; in array and document mode reading stops after it. */
    void malformed(String position, String reason);
  }

  private MessageReader() {
  }

  public static void read(final Reader source, final Visitor visitor) throws IOException {
    final BufferedReader reader = source instanceof BufferedReader b ? b : new BufferedReader(source, 1 << 16);
    final int first = peekNonWhitespace(reader);
    if (first < 0) {
      return;
    }
    if (first == '[') {
      document(reader, 1, visitor);
      return;
    }
    final String firstLine = reader.readLine();
    final JsonNode firstValue = parseLine(firstLine);
    if (firstValue == null) {
      // Not one value per line: a pretty-printed page or message (or several in a row).
      document(new ConcatReader(new StringReader(firstLine + "\n"), reader), 1, visitor);
      return;
    }
    int line = 1;
    expand("line " + line, firstValue, visitor);
    String text;
    while ((text = reader.readLine()) != null) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      final JsonNode value;
      try {
        value = Json.parse(text);
      } catch (JsonProcessingException e) {
        visitor.malformed("line " + line, "not JSON: " + e.getOriginalMessage());
        continue;
      }
      expand("line " + line, value, visitor);
    }
  }

  /** Root values one after another; array elements and page messages are visited one by one. */
  private static void document(final Reader reader, final int firstLine, final Visitor visitor) throws IOException {
    String position = "line " + firstLine;
    try (JsonParser parser = Json.MAPPER.createParser(reader)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        position = "line " + parser.currentTokenLocation().getLineNr();
        if (token == JsonToken.START_ARRAY) {
          int index = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            position = "index " + index + " (line " + parser.currentTokenLocation().getLineNr() + ")";
            visitor.envelope(position, parser.readValueAsTree());
            index++;
          }
        } else {
          expand(position, parser.readValueAsTree(), visitor);
        }
      }
    } catch (JsonProcessingException e) {
      visitor.malformed(position, "not JSON, reading stopped: " + e.getOriginalMessage());
    }
  }

  private static void expand(final String position, final JsonNode value, final Visitor visitor) {
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        visitor.envelope(position + ", index " + i, value.get(i));
      }
    } else if (isPage(value)) {
      final JsonNode messages = value.get("messages");
      for (int i = 0; i < messages.size(); i++) {
        visitor.envelope(position + ", messages[" + i + "]", messages.get(i));
      }
    } else {
      visitor.envelope(position, value);
    }
  }

  /** The reference API's page: a {@code messages} array, not itself a message. */
  static boolean isPage(final JsonNode value) {
    return value.isObject() && value.path("messages").isArray() && !value.has("item_hash");
  }

  private static JsonNode parseLine(final String line) {
    if (line == null) {
      return null;
    }
    try {
      return Json.parse(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static int peekNonWhitespace(final BufferedReader reader) throws IOException {
    while (true) {
      reader.mark(1);
      final int c = reader.read();
      if (c < 0) {
        return -1;
      }
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        reader.reset();
        return c;
      }
    }
  }

  /** The first line, given back, then the rest of the reader. */
  private static final class ConcatReader extends Reader {
    private final Reader head;
    private final Reader tail;
    private boolean headDone;

    ConcatReader(final Reader head, final Reader tail) {
      this.head = head;
      this.tail = tail;
    }

    @Override
    public int read(final char[] buffer, final int off, final int len) throws IOException {
      if (!headDone) {
        final int n = head.read(buffer, off, len);
        if (n >= 0) {
          return n;
        }
        headDone = true;
      }
      return tail.read(buffer, off, len);
    }

    @Override
    public void close() throws IOException {
      tail.close();
    }
  }
}
