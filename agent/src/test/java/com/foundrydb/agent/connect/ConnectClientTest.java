package com.foundrydb.agent.connect;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ConnectClientTest {
  /** A worker that accepts the connection and never answers, as a stopped (SIGSTOP) one does. */
  @Test
  void aWorkerThatNeverAnswersIsReportedWithinTheTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
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
    try {
      ConnectClient client = new ConnectClient("http://127.0.0.1:" + silent.getAddress().getPort())
          .withTimeout(Duration.ofSeconds(1));
      assertThatThrownBy(() -> client.status("foundrydb-pl_1")).isInstanceOf(IOException.class)
          .hasMessage("Kafka Connect GET /connectors/foundrydb-pl_1/status did not answer within 1 s");
    } finally {
      release.countDown();
      silent.stop(0);
    }
  }
}
