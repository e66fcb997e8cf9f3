package aleph.pipeline.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class ProgressBarTest {

  private final StringWriter out = new StringWriter();

  @Test
  void shouldDrawShareAndCountsWhenSizeIsKnown() {
    // Given
    final ProgressBar bar = new ProgressBar(new PrintWriter(out), 1000);

    // When
    bar.update(500, 40, 2, true);
    bar.finish();

    // Then
    assertThat(out.toString()).isEqualTo("\r[###############...............]  50% produced 40, skipped 2"
        + System.lineSeparator());
  }

  @Test
  void shouldDrawCountsOnlyWhenReadingStandardInput() {
    // Given
    final ProgressBar bar = new ProgressBar(new PrintWriter(out), -1);

    // When
    bar.update(123_456, 7, 0, true);

    // Then
    assertThat(out.toString()).isEqualTo("\rproduced 7, skipped 0");
  }

  @Test
  void shouldRedrawAtMostEveryHundredMillisecondsWhenNotForced() {
    // Given
    final long[] now = {0};
    final ProgressBar bar = new ProgressBar(new PrintWriter(out), -1, () -> now[0]);

    // When
    bar.update(1, 1, 0, false);
    now[0] = 99_000_000L;
    bar.update(2, 2, 0, false);
    now[0] = 100_000_000L;
    bar.update(3, 3, 0, false);

    // Then
    assertThat(out.toString()).isEqualTo("\rproduced 1, skipped 0\rproduced 3, skipped 0");
  }

  @Test
  void shouldPrintNothingWhenNeverDrawn() {
    // When
    new ProgressBar(new PrintWriter(out), 10).finish();

    // Then
    assertThat(out.toString()).isEmpty();
  }
}
