package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Answers other than success, from a real Javalin server: the one shape, and no failure's detail. */
class ErrorAnswersTest {
  private static final String DETAIL = "ERROR: permission denied for table \"Payroll\" at 10.1.2.3 (secret-ish)";
  private Javalin app;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.http.maxRequestSize = 100;
      c.http.prefer405over404 = true;
    });
    app.get("/fails", ctx -> {
      throw new SQLException(DETAIL);
    });
    app.post("/echo", ctx -> ctx.result(ctx.body()));
    ErrorAnswers.register(app, 100);
    log.start();
    ((Logger) LoggerFactory.getLogger(ErrorAnswers.class)).addAppender(log);
    app.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(ErrorAnswers.class)).detachAppender(log);
    app.stop();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFailureAnswersAnIncidentIdAndLogsTheDetailUnderIt() throws Exception {
    HttpResponse<String> r = send("GET", "/fails", null);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("Payroll").doesNotContain("10.1.2.3").doesNotContain("SQLException");
    JsonNode e = Json.MAPPER.readTree(r.body());
    assertThat(e.path("code").asText()).isEqualTo("internal");
    String incident = e.path("message").asText().replaceAll(".*incident ([0-9a-f]{12}).*", "$1");
    assertThat(incident).matches("[0-9a-f]{12}");
    assertThat(e.path("hint").asText()).contains(incident);
    assertThat(log.list).anySatisfy(ev -> {
      assertThat(ev.getFormattedMessage()).contains(incident);
      assertThat(ev.getThrowableProxy().getMessage()).isEqualTo(DETAIL);
    });
  }

  @Test
  void javalinsOwnAnswersTakeTheOneShape() throws Exception {
    for (Object[] c : new Object[][] {{"GET", "/nowhere", null, 404, "path"}, {"DELETE", "/fails", null, 405, "method"},
        {"POST", "/echo", "x".repeat(1000), 413, "body"}}) {
      HttpResponse<String> r = send((String) c[0], (String) c[1], (String) c[2]);
      assertThat(r.statusCode()).as(c[1].toString()).isEqualTo(c[3]);
      JsonNode e = Json.MAPPER.readTree(r.body());
      assertThat(e.path("field").asText()).isEqualTo(c[4]);
      assertThat(e.path("problems").get(0).path("code")).isEqualTo(e.path("code"));
      assertThat(e.path("hint").asText()).isNotBlank();
    }
  }
}
