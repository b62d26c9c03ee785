package com.foundrydb.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer thread on one topic that notes when each row (by its item text) first arrives, and
 * counts records whose item starts with a marker. Started before the measured action, so topic
 * creation and metadata refresh are part of what is measured, as for a real consumer.
 */
final class ChangeStream implements AutoCloseable {
    private static final Pattern ITEM = Pattern.compile("\"after\":\\{[^}]*\"item\":\"([^\"]*)\"");
    final Map<String, Long> arrivedNanos = new ConcurrentHashMap<>();
    final AtomicLong firstRecordNanos = new AtomicLong();
    final AtomicLong matching = new AtomicLong();
    final AtomicLong lastMatchNanos = new AtomicLong();
    private volatile String countPrefix = "\u0000";
    private volatile boolean running = true;
    private final Thread thread;

    ChangeStream(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "200");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        thread = new Thread(
                () -> {
                    try (consumer) {
                        while (running) {
                            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                                long now = System.nanoTime();
                                firstRecordNanos.compareAndSet(0, now);
                                if (r.value() == null) {
                                    continue;
                                }
                                Matcher m = ITEM.matcher(r.value());
                                if (m.find()) {
                                    if (m.group(1).startsWith(countPrefix)) {
                                        matching.incrementAndGet();
                                        lastMatchNanos.set(now);
                                    } else {
                                        arrivedNanos.putIfAbsent(m.group(1), now);
                                    }
                                }
                            }
                        }
                    }
                },
                "bench-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void countItemsStartingWith(String prefix) {
        matching.set(0);
        countPrefix = prefix;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
