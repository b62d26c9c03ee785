package com.foundrydb.agent.it.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.agent.connect.ConnectorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every change event on a set of topics, kept per table and key as a consumer application sees
 * them, read from the start in a background thread: operation, the row's version, and when it
 * arrived. Tombstones (Kafka's delete markers) carry no row and are skipped.
 */
public final class ChangeLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One change event: op is Debezium's (c, u, d, r); version is the row's after a c/u/r, -1 for d;
     * resumedFrom is the record's foundrydb.resumed_from header (set once the agent re-pointed the
     * connector at a new primary: the LSN it streams from there), null without one.
     */
    public record Event(String op, int version, long offset, long arrivedNanos, String resumedFrom) {
        public Event(String op, int version, long offset, long arrivedNanos) {
            this(op, version, offset, arrivedNanos, null);
        }
    }

    private final Map<String, List<Event>> byKey = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong lastArrival = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;

    /** @param topics prefix.schema.table per captured table, in the order tables are named */
    public ChangeLog(String bootstrap, List<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "changelog-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics);
        thread = new Thread(this::consume, "changelog");
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null || r.key() == null) {
                        continue;
                    }
                    long now = System.nanoTime();
                    JsonNode payload = JSON.readTree(r.value()).path("payload");
                    long key = JSON.readTree(r.key()).path("payload").path("id").asLong();
                    String table = payload.path("source").path("schema").asText() + "."
                            + payload.path("source").path("table").asText();
                    String op = payload.path("op").asText();
                    int version = "d".equals(op)
                            ? -1
                            : payload.path("after").path("version").asInt();
                    Header resumed = r.headers().lastHeader(ConnectorConfig.RESUMED_FROM_HEADER);
                    byKey.computeIfAbsent(
                                    table + "/" + key, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(new Event(
                                    op,
                                    version,
                                    r.offset(),
                                    now,
                                    resumed == null ? null : new String(resumed.value(), StandardCharsets.UTF_8)));
                    records.incrementAndGet();
                    lastArrival.set(now);
                }
            }
        } catch (WakeupException stopping) {
            // close() ends the poll
        } catch (Exception e) {
            throw new IllegalStateException("change log consumer failed", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Events per "schema.table/key" so far, each list in topic order. */
    public Map<String, List<Event>> events() {
        Map<String, List<Event>> copy = new java.util.HashMap<>();
        byKey.forEach((k, v) -> {
            synchronized (v) {
                copy.put(k, List.copyOf(v));
            }
        });
        return copy;
    }

    public long records() {
        return records.get();
    }

    /** System.nanoTime() of the latest event received, 0 before the first. */
    public long lastArrivalNanos() {
        return lastArrival.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
