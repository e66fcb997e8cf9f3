package aleph.pipeline.db;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes PostgreSQL's binary COPY format. Binary rather than text: no escaping, exact microsecond timestamps
 * over the whole {@code timestamptz} range, and less parsing on the server.
 */
final class BinaryCopyEncoder {

  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
  /** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01T00:00Z). */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  private final ByteArrayOutputStream bytes;
  private final DataOutputStream out;

  BinaryCopyEncoder(final int expectedRows) {
    this.bytes = new ByteArrayOutputStream(Math.max(1024, expectedRows * 160));
    this.out = new DataOutputStream(bytes);
    io(() -> {
      out.write(SIGNATURE);
      out.writeInt(0);
      out.writeInt(0);
    });
  }

  void startRow(final int fields) {
    io(() -> out.writeShort(fields));
  }

  void timestamp(final Instant value) {
    io(() -> {
      out.writeInt(8);
      out.writeLong(micros(value) - POSTGRES_EPOCH_MICROS);
    });
  }

  void text(final String value) {
    io(() -> {
      if (value == null) {
        out.writeInt(-1);
        return;
      }
      final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    });
  }

  void float8(final Double value) {
    io(() -> {
      if (value == null) {
        out.writeInt(-1);
        return;
      }
      out.writeInt(8);
      out.writeDouble(value);
    });
  }

  void int4(final Integer value) {
    io(() -> {
      if (value == null) {
        out.writeInt(-1);
        return;
      }
      out.writeInt(4);
      out.writeInt(value);
    });
  }

  byte[] finish() {
    io(() -> {
      out.writeShort(-1);
      out.flush();
    });
    return bytes.toByteArray();
  }

  static long micros(final Instant value) {
    return Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000);
  }

  private static void io(final IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }
}
