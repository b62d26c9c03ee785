package com.foundrydb.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which Content-Types a body may come with, from a real Javalin server: JSON passes, anything else is a 415. */
class JsonBodyTest {
    private Javalin app;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        app = Javalin.create(c -> c.showJavalinBanner = false);
        app.post("/create", ctx -> {
            ctx.result("read " + JsonBody.read(ctx, JsonBody.POST));
        });
        app.patch("/change", ctx -> {
            ctx.result("read " + JsonBody.read(ctx, JsonBody.PATCH));
        });
        ErrorAnswers.register(app, 1000);
        app.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> send(String method, String path, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{\"name\":\"Bestellungen „2024“\"}"));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonIsRead() throws Exception {
        for (String type : new String[] {
            "application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""
        }) {
            HttpResponse<String> r = send("POST", "/create", type);
            assertThat(r.statusCode()).as(type).isEqualTo(200);
            assertThat(r.body()).as("read as UTF-8").isEqualTo("read {\"name\":\"Bestellungen „2024“\"}");
        }
        assertThat(send("PATCH", "/change", "application/merge-patch+json").statusCode())
                .isEqualTo(200);
        assertThat(send("PATCH", "/change", "application/json").statusCode()).isEqualTo(200);
    }

    @Test
    void anythingElseIsA415NamingTheHeaderAndWhatToSend() throws Exception {
        for (String[] c : new String[][] {
            {"POST", "/create", "application/x-www-form-urlencoded", "application/json"},
            {"POST", "/create", "text/plain", "application/json"},
            {"POST", "/create", "application/merge-patch+json", "application/json"},
            {"POST", "/create", "application/jsonx", "application/json"},
            {"PATCH", "/change", "text/json", "application/merge-patch+json"}
        }) {
            HttpResponse<String> r = send(c[0], c[1], c[2]);
            JsonNode e = refused(r, c[2]);
            assertThat(e.path("detail").asText()).as(c[2]).contains("Content-Type " + c[2] + " is not supported");
            assertThat(e.path("hint").asText()).as(c[2]).contains("Content-Type: " + c[3]);
        }
        JsonNode latin = refused(send("POST", "/create", "application/json; charset=iso-8859-1"), "latin-1");
        assertThat(latin.path("detail").asText()).containsIgnoringCase("charset iso-8859-1");
        assertThat(latin.path("hint").asText()).contains("UTF-8");
    }

    @Test
    void noContentTypeIsA415SayingWhatToSend() throws Exception {
        JsonNode e = refused(send("POST", "/create", null), "none");
        assertThat(e.path("detail").asText()).contains("no Content-Type");
        assertThat(e.path("hint").asText()).contains("-H 'Content-Type: application/json'");
        JsonNode patch = refused(send("PATCH", "/change", null), "none on PATCH");
        assertThat(patch.path("hint").asText())
                .contains("application/merge-patch+json")
                .contains("application/json");
    }

    private static JsonNode refused(HttpResponse<String> r, String what) throws Exception {
        assertThat(r.statusCode()).as(what).isEqualTo(415);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode e = Json.MAPPER.readTree(r.body());
        assertThat(e.path("code").asText()).isEqualTo("unsupported_media_type");
        assertThat(e.path("type").asText()).isEqualTo("https://foundrydb.com/problems/unsupported_media_type");
        assertThat(e.path("status").asInt()).isEqualTo(415);
        assertThat(e.path("field").asText()).isEqualTo("Content-Type");
        return e;
    }
}
