package aleph.pipeline.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import aleph.pipeline.avro.credit.CreditBalance;
import aleph.pipeline.avro.message.AlephMessage;
import aleph.pipeline.avro.metrics.CrnMetric;

class MockSchemaRegistryJournalTest {

  @TempDir
  Path dir;

  @Test
  void shouldGiveEverySchemaTheSameIdAfterARestart() {
    // Given
    final Path journal = dir.resolve("registry").resolve("schemas.jsonl");
    final MockSchemaRegistry before = new MockSchemaRegistry();
    before.persistTo(journal);
    final int crn = before.register("crn-value", CrnMetric.getClassSchema());
    final int message = before.register("in-value", AlephMessage.getClassSchema());
    final int balance = before.register("balances-value", CreditBalance.getClassSchema());
    before.register("crn-value", CrnMetric.getClassSchema());

    // When
    final MockSchemaRegistry after = new MockSchemaRegistry();
    after.persistTo(journal);

    // Then
    assertThat(after.byId(crn)).isEqualTo(CrnMetric.getClassSchema());
    assertThat(after.byId(message)).isEqualTo(AlephMessage.getClassSchema());
    assertThat(after.byId(balance)).isEqualTo(CreditBalance.getClassSchema());
    assertThat(after.latest("crn-value").version()).isEqualTo(1);
    assertThat(after.subjects()).containsExactlyInAnyOrder("crn-value", "in-value", "balances-value");
  }

  @Test
  void shouldKeepRegisteringAfterTheRestoredIds() {
    // Given
    final Path journal = dir.resolve("schemas.jsonl");
    final MockSchemaRegistry before = new MockSchemaRegistry();
    before.persistTo(journal);
    final int first = before.register("a-value", CrnMetric.getClassSchema());

    // When
    final MockSchemaRegistry after = new MockSchemaRegistry();
    after.persistTo(journal);
    final Schema other = AlephMessage.getClassSchema();
    final int second = after.register("b-value", other);

    // Then
    assertThat(second).isNotEqualTo(first);
    final MockSchemaRegistry third = new MockSchemaRegistry();
    third.persistTo(journal);
    assertThat(third.byId(second)).isEqualTo(other);
  }
}
