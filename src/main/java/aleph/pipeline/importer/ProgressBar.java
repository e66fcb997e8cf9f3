package aleph.pipeline.importer;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn in place ({@code \r}) on a terminal, at most every 100 ms: the share of the
 * input read when its size is known, and the running produced/skipped counts.
 */
public final class ProgressBar {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final long totalBytes;
  private final LongSupplier nanoClock;
  private long lastDraw;
  private boolean drawn;

  /** {@code totalBytes} ≤ 0 when unknown (standard input). */
  public ProgressBar(final PrintWriter out, final long totalBytes) {
    this(out, totalBytes, System::nanoTime);
  }

  ProgressBar(final PrintWriter out, final long totalBytes, final LongSupplier nanoClock) {
    this.out = out;
    this.totalBytes = totalBytes;
    this.nanoClock = nanoClock;
  }

  public void update(final long bytesRead, final long produced, final long skipped, final boolean force) {
    final long now = nanoClock.getAsLong();
    if (!force && drawn && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    final StringBuilder line = new StringBuilder("\r");
    if (totalBytes > 0) {
      final double share = Math.min(1.0, (double) bytesRead / totalBytes);
      final int filled = (int) Math.round(share * WIDTH);
      line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
          .append(String.format("%3d%% ", Math.round(share * 100)));
    }
    line.append("produced ").append(produced).append(", skipped ").append(skipped);
    out.print(line);
    out.flush();
  }

  /** Ends the bar's line so later output starts clean. */
  public void finish() {
    if (drawn) {
      out.println();
      out.flush();
    }
  }
}
