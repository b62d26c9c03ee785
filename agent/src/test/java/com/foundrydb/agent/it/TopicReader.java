package com.foundrydb.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads topics with a real KafkaConsumer, as a user's application would. */
public final class TopicReader {
    private TopicReader() {}

    static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** The change events' payloads on a topic until one matches, or fails after the timeout. */
    public static List<JsonNode> awaitPayload(
            String bootstrap, String topic, Predicate<JsonNode> match, Duration timeout) throws Exception {
        List<JsonNode> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer(bootstrap)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    JsonNode payload = Api.JSON.readTree(r.value()).path("payload");
                    seen.add(payload);
                    if (match.test(payload)) {
                        return seen;
                    }
                }
            }
        }
        throw new AssertionError(
                "no matching record on " + topic + " within " + timeout + "; saw " + seen.size() + " records: " + seen);
    }

    /**
     * How many records carried each value of after.{field} on a topic, read from the start until
     * every expected value has been seen or the timeout passes (then the counts so far).
     */
    public static Map<Long, Integer> countByField(
            String bootstrap, String topic, String field, java.util.Set<Long> expected, Duration timeout)
            throws Exception {
        Map<Long, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> c = consumer(bootstrap)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !counts.keySet().containsAll(expected)) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    JsonNode after = r.value() == null
                            ? null
                            : Api.JSON.readTree(r.value()).path("payload").path("after");
                    if (after != null && after.has(field)) {
                        counts.merge(after.get(field).asLong(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    public static java.util.Set<String> topics(String bootstrap) {
        try (KafkaConsumer<String, String> c = consumer(bootstrap)) {
            return c.listTopics(Duration.ofSeconds(10)).keySet();
        }
    }

    /**
     * The latest value of every key on a whole topic (compacted-topic semantics): Connect's offsets
     * topic keys offsets by ["connector", partition]; a deleted offset's latest value is null.
     */
    public static Map<String, String> latestByKey(String bootstrap, String topic) {
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<String, String> c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), r.value());
                }
            }
        }
        return latest;
    }
}
