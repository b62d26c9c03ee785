package com.foundrydb.agent.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's reading of Connect's answers and its moving between workers, against a stand-in worker. */
class ConnectClientTest {
    private static final String STATUS = """
      {"name":"c","connector":{"state":"RUNNING","worker_id":"10.0.2.1:8083"},
       "tasks":[{"id":0,"state":"RUNNING","worker_id":"10.0.2.2:8083"},
                {"id":1,"state":"FAILED","worker_id":"10.0.2.1:8083","trace":"org.x.Boom: no\\n\\tat y"}],
       "type":"source"}""";
    private HttpServer worker;
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        worker.createContext("/", exchange -> {
            calls.incrementAndGet();
            String path = exchange.getRequestURI().toString();
            String body = switch (path) {
                case "/connectors/c/status" -> STATUS;
                case "/connectors?expand=status" -> "{\"c\":{\"status\":" + STATUS + "}}";
                case "/connector-plugins" ->
                    "[{\"class\":\"io.debezium.connector.postgresql.PostgresConnector\","
                            + "\"type\":\"source\",\"version\":\"3.3.2.Final\"}]";
                default -> null;
            };
            byte[] bytes = (body == null ? "{\"error_code\":404,\"message\":\"nope\"}" : body)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        worker.start();
    }

    @AfterEach
    void stop() {
        worker.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + worker.getAddress().getPort();
    }

    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void statusNamesTheWorkerOfTheConnectorAndOfEachTask() throws Exception {
        ConnectorStatus s = new ConnectClient(url()).status("c").orElseThrow();
        assertThat(s.workerId()).isEqualTo("10.0.2.1:8083");
        assertThat(s.taskStates()).containsExactly("RUNNING", "FAILED");
        assertThat(s.taskWorkers()).containsExactly("10.0.2.2:8083", "10.0.2.1:8083");
        assertThat(s.firstError()).isEqualTo("org.x.Boom: no");
        assertThat(s.failed()).isTrue();
        Map<String, ConnectorStatus> all = new ConnectClient(url()).statuses();
        assertThat(all).containsOnlyKeys("c");
        assertThat(all.get("c")).isEqualTo(s);
    }

    @Test
    void aWorkerThatDoesNotAnswerIsPassedForTheNextAndRemembered() throws Exception {
        ConnectClient client = new ConnectClient(List.of(deadUrl(), url()));
        assertThat(client.plugins())
                .containsExactly(new ConnectClient.Plugin(ConnectorConfig.CONNECTOR_CLASS, "3.3.2.Final"));
        assertThat(client.status("c")).isPresent();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void anAnswerWithAnErrorIsNotPassedOnAndNoAnswerAtAllSaysWhichWorkers() throws Exception {
        String dead = deadUrl();
        ConnectClient client = new ConnectClient(List.of(url(), dead));
        assertThat(client.status("absent")).isEmpty();
        assertThatThrownBy(() -> client.offsets("absent"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("answered 404: nope");
        assertThat(calls.get()).isEqualTo(2);
        worker.stop(0);
        assertThatThrownBy(() -> client.connectors())
                .hasMessageContaining("Kafka Connect does not answer at " + url() + ", " + dead);
    }

    /** A worker that accepts the connection and never answers, as a stopped (SIGSTOP) one does. */
    @Test
    void aWorkerThatNeverAnswersIsReportedWithinTheTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = silent(release);
        try {
            ConnectClient client = new ConnectClient(
                            "http://127.0.0.1:" + silent.getAddress().getPort())
                    .withTimeout(Duration.ofSeconds(1));
            assertThatThrownBy(() -> client.status("foundrydb-pl_1"))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Kafka Connect GET /connectors/foundrydb-pl_1/status did not answer within 1 s");
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    /** Of a group, a hung worker costs one timeout: the next worker answers the same call. */
    @Test
    void aWorkerThatNeverAnswersIsPassedForTheNextAfterTheTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = silent(release);
        try {
            ConnectClient client = new ConnectClient(
                            List.of("http://127.0.0.1:" + silent.getAddress().getPort(), url()))
                    .withTimeout(Duration.ofSeconds(1));
            assertThat(client.status("c")).isPresent();
            assertThat(client.status("c")).isPresent();
            assertThat(calls.get()).isEqualTo(2);
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    private static HttpServer silent(CountDownLatch release) throws IOException {
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.createContext("/", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        return silent;
    }
}
