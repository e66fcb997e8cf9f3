package aleph.pipeline.sink;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A consumed record the database can never hold, with the reason. */
record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
}
