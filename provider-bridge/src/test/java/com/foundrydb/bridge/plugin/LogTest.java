package com.foundrydb.bridge.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {

    @AfterEach
    void reset() {
        Log.configure(Map.of());
    }

    @Test
    void linesAreHclogJsonWithTheTimestampGoPluginParses() throws Exception {
        String line = Log.format(
                Log.Level.DEBUG,
                "serving \"plugin\"\nnext",
                Instant.parse("2025-03-04T05:06:07.000008Z"),
                "port",
                10001,
                "tls",
                true,
                "error",
                new IllegalStateException("boom"));
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("@level").asText()).isEqualTo("debug");
        assertThat(json.get("@message").asText()).isEqualTo("serving \"plugin\"\nnext");
        // go-plugin parses "2006-01-02T15:04:05.000000Z07:00": exactly six fractional digits
        assertThat(json.get("@timestamp").asText()).isEqualTo("2025-03-04T05:06:07.000008Z");
        assertThat(json.get("port").asInt()).isEqualTo(10001);
        assertThat(json.get("tls").asBoolean()).isTrue();
        assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(line).doesNotContain("\n");
    }

    @Test
    void levelFollowsTfLogProviderThenTfLog() {
        Log.configure(Map.of("TF_LOG", "debug"));
        assertThat(Log.threshold()).isEqualTo(Log.Level.DEBUG);
        Log.configure(Map.of("TF_LOG", "debug", "TF_LOG_PROVIDER", "ERROR"));
        assertThat(Log.threshold()).isEqualTo(Log.Level.ERROR);
        Log.configure(Map.of("TF_LOG", "json"));
        assertThat(Log.threshold()).isEqualTo(Log.Level.TRACE);
        Log.configure(Map.of("TF_LOG", "off"));
        assertThat(Log.enabled(Log.Level.ERROR)).isFalse();
        Log.configure(Map.of());
        assertThat(Log.enabled(Log.Level.WARN)).isTrue();
        assertThat(Log.enabled(Log.Level.INFO)).isFalse();
    }

    @Test
    void aBoundThreadAndTheThreadsItStartsLogToTheirSinkAtItsLevel() throws Exception {
        java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream process = new java.io.ByteArrayOutputStream();
        Log.useStream(new java.io.PrintStream(process, true, java.nio.charset.StandardCharsets.UTF_8));
        Thread bound = new Thread(() -> {
            Log.bind(Log.Sink.of(
                    Map.of("TF_LOG", "debug"),
                    new java.io.PrintStream(run, true, java.nio.charset.StandardCharsets.UTF_8)));
            Log.debug("from the run");
            Thread child = new Thread(() -> Log.debug("from a thread of the run"));
            child.start();
            try {
                child.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Log.unbind();
            Log.warn("after the run");
        });
        bound.start();
        bound.join();
        Log.debug("below the process's level");
        Log.useStream(System.err);

        assertThat(run.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("from the run")
                .contains("from a thread of the run")
                .doesNotContain("after the run");
        assertThat(process.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("after the run")
                .doesNotContain("from the run")
                .doesNotContain("below the process's level");
    }
}
