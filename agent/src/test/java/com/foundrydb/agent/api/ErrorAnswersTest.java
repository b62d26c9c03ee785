package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import com.foundrydb.agent.pipeline.Problem;
import com.foundrydb.agent.ui.DataFlowsPage;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Answers other than success, from a real Javalin server: one RFC 9457 problem (type, title,
 * status, detail) that keeps the API's members (code, message, field, hint, problems), and no
 * failure's detail.
 */
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
        app.get("/invalid", ctx -> {
            throw new ApiException(
                    422,
                    List.of(
                            new Problem(
                                    "no_primary_key",
                                    "table public.audit has no primary key",
                                    "config.tables[1]",
                                    "add one"),
                            new Problem(
                                    "not_found",
                                    "no service svc_x",
                                    "sink_service_id",
                                    "list them with GET /v1/services")));
        });
        app.get("/new-code", ctx -> {
            throw new ApiException(409, "some_code_without_a_title", "it clashes", null, "do otherwise");
        });
        app.post("/echo", ctx -> ctx.result(ctx.body()));
        DataFlowsPage.register(app);
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
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's body, after checking what every error answer has: the media type and RFC 9457's members. */
    private static JsonNode problem(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).as(r.uri().getPath()).hasValue("application/problem+json");
        JsonNode e = Json.MAPPER.readTree(r.body());
        assertThat(e.path("status").asInt()).as("status member").isEqualTo(r.statusCode());
        assertThat(e.path("title").asText()).as("title").isNotBlank();
        assertThat(e.path("detail").asText())
                .as("detail")
                .isNotBlank()
                .isEqualTo(e.path("message").asText());
        assertThat(e.path("type").asText())
                .as("type")
                .isEqualTo(
                        ProblemTypes.TITLES.containsKey(e.path("code").asText())
                                ? "https://foundrydb.com/problems/"
                                        + e.path("code").asText()
                                : "about:blank");
        assertThat(e.path("problems").get(0).path("code")).isEqualTo(e.path("code"));
        assertThat(e.path("hint").asText()).isNotBlank();
        return e;
    }

    @Test
    void aFailureAnswersAnIncidentIdAndLogsTheDetailUnderIt() throws Exception {
        HttpResponse<String> r = send("GET", "/fails", null);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body())
                .doesNotContain("Payroll")
                .doesNotContain("10.1.2.3")
                .doesNotContain("SQLException");
        JsonNode e = problem(r);
        assertThat(e.path("code").asText()).isEqualTo("internal");
        assertThat(e.path("type").asText()).isEqualTo("https://foundrydb.com/problems/internal");
        String incident = e.path("detail").asText().replaceAll(".*incident ([0-9a-f]{12}).*", "$1");
        assertThat(incident).matches("[0-9a-f]{12}");
        assertThat(e.path("instance").asText()).isEqualTo("urn:foundrydb:incident:" + incident);
        assertThat(e.path("hint").asText()).contains(incident);
        assertThat(log.list).anySatisfy(ev -> {
            assertThat(ev.getFormattedMessage()).contains(incident);
            assertThat(ev.getThrowableProxy().getMessage()).isEqualTo(DETAIL);
        });
    }

    @Test
    void severalProblemsAnswerTheFirstOnTopAndEveryOneInProblems() throws Exception {
        HttpResponse<String> r = send("GET", "/invalid", null);
        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode e = problem(r);
        assertThat(e.path("type").asText()).isEqualTo("https://foundrydb.com/problems/no_primary_key");
        assertThat(e.path("title").asText()).isEqualTo("Table has no primary key");
        assertThat(e.path("detail").asText()).isEqualTo("table public.audit has no primary key");
        assertThat(e.path("field").asText()).isEqualTo("config.tables[1]");
        assertThat(e.has("instance"))
                .as("no instance unless the occurrence has a name")
                .isFalse();
        List<String> fields = new ArrayList<>();
        e.path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertThat(fields).containsExactly("config.tables[1]", "sink_service_id");
        assertThat(e.path("problems").get(1).path("hint").asText()).contains("GET /v1/services");
    }

    @Test
    void aCodeWithoutATitleIsAboutBlankWithTheReasonPhrase() throws Exception {
        JsonNode e = problem(send("GET", "/new-code", null));
        assertThat(e.path("type").asText()).isEqualTo("about:blank");
        assertThat(e.path("title").asText()).isEqualTo("Conflict");
        assertThat(e.path("code").asText()).isEqualTo("some_code_without_a_title");
    }

    @Test
    void javalinsOwnAnswersAndThePagesTakeTheOneShape() throws Exception {
        for (Object[] c : new Object[][] {
            {"GET", "/nowhere", null, 404, "path", "not_found"},
            {"DELETE", "/fails", null, 405, "method", "method_not_allowed"},
            {"POST", "/echo", "x".repeat(1000), 413, "body", "too_large"},
            {"GET", "/ui/nothing.js", null, 404, "path", "not_found"}
        }) {
            HttpResponse<String> r = send((String) c[0], (String) c[1], (String) c[2]);
            assertThat(r.statusCode()).as(c[1].toString()).isEqualTo(c[3]);
            JsonNode e = problem(r);
            assertThat(e.path("field").asText()).isEqualTo(c[4]);
            assertThat(e.path("code").asText()).isEqualTo(c[5]);
        }
    }
}
