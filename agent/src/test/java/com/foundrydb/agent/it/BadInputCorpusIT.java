package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A corpus of bad requests, each answered 4xx as an RFC 9457 problem (application/problem+json:
 * type, title, status, detail, with the API's code, message, field, hint and problems) naming the
 * field at fault; across the whole corpus the world (WorldFingerprint) is unchanged and no
 * pipeline appears.
 */
@ExtendWith(TestStack.class)
class BadInputCorpusIT {
    private final TestStack s = TestStack.get();

    record Bad(
            String what,
            String method,
            String path,
            String body,
            String token,
            String contentType,
            int status,
            String field) {
        Bad(String what, String method, String path, String body, String token, int status, String field) {
            this(what, method, path, body, token, "application/json", status, field);
        }
    }

    private static final String GOOD =
            Api.spec("corpus", "[\"public.orders\"]", "corpus").strip();

    private static String with(String from, String to) {
        String out = GOOD.replace(from, to);
        if (out.equals(GOOD)) {
            throw new IllegalArgumentException("no " + from + " in the spec");
        }
        return out;
    }

    private static String tables(String json) {
        return with("[\"public.orders\"]", json);
    }

    List<Bad> corpus(String token, String existing) {
        String p = "/v1/pipelines";
        String one = p + "/" + existing;
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            many.append(i == 0 ? "" : ",").append("\"public.t").append(i).append('"');
        }
        many.append(']');
        List<Bad> c = new ArrayList<>();
        c.add(new Bad("empty body", "POST", p, "", token, 400, "body"));
        c.add(new Bad("truncated JSON", "POST", p, GOOD.substring(0, GOOD.length() / 2), token, 400, "body"));
        c.add(new Bad("an array", "POST", p, "[" + GOOD + "]", token, 400, "body"));
        c.add(new Bad("a string", "POST", p, "\"orders\"", token, 400, "body"));
        c.add(new Bad("null", "POST", p, "null", token, 400, "body"));
        c.add(new Bad("a number", "POST", p, "42", token, 400, "body"));
        c.add(new Bad("trailing garbage", "POST", p, GOOD + " DROP", token, 400, "body"));
        c.add(new Bad("a second object", "POST", p, GOOD + GOOD, token, 400, "body"));
        c.add(new Bad(
                "duplicate key",
                "POST",
                p,
                with("{\"name\":\"corpus\"", "{\"name\":\"corpus\",\"name\":\"other\""),
                token,
                400,
                "body"));
        c.add(new Bad(
                "duplicate key in config",
                "POST",
                p,
                with("\"topic_prefix\":\"corpus\"", "\"topic_prefix\":\"corpus\",\"topic_prefix\":\"x\""),
                token,
                400,
                "body"));
        c.add(new Bad(
                "a number for a string",
                "POST",
                p,
                with("\"corpus\",\"pipeline", "42,\"pipeline"),
                token,
                400,
                "name"));
        c.add(new Bad(
                "a boolean for a string", "POST", p, with("\"cdc_pg_to_kafka\"", "true"), token, 400, "pipeline_type"));
        c.add(new Bad(
                "a string for the table list", "POST", p, tables("\"public.orders\""), token, 400, "config.tables"));
        c.add(new Bad(
                "a number in the table list",
                "POST",
                p,
                tables("[\"public.orders\", 7]"),
                token,
                400,
                "config.tables[1]"));
        c.add(new Bad(
                "config not an object",
                "POST",
                p,
                GOOD.replaceAll("\"config\":\\{.*\\}\\}", "\"config\":\"x\"}"),
                token,
                400,
                "config"));
        c.add(new Bad("null name", "POST", p, with("\"corpus\",\"pipeline", "null,\"pipeline"), token, 422, "name"));
        c.add(new Bad(
                "null config",
                "POST",
                p,
                GOOD.replaceAll("\"config\":\\{.*\\}\\}", "\"config\":null}"),
                token,
                422,
                "config"));
        c.add(new Bad("null table", "POST", p, tables("[null]"), token, 422, "config.tables[0]"));
        c.add(new Bad(
                "unknown field", "POST", p, with("{\"name\"", "{\"replicas\":3,\"name\""), token, 400, "replicas"));
        c.add(new Bad(
                "unknown config field",
                "POST",
                p,
                with("\"topic_prefix\"", "\"slot\":\"x\",\"topic_prefix\""),
                token,
                400,
                "config.slot"));
        c.add(new Bad(
                "a body over the size limit",
                "POST",
                p,
                with("\"corpus\",\"pipeline", "\"" + "x".repeat(1_100_000) + "\",\"pipeline"),
                token,
                413,
                "body"));
        c.add(new Bad(
                "deep nesting",
                "POST",
                p,
                "{\"config\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2001),
                token,
                400,
                "body"));
        c.add(new Bad(
                "a raw control character",
                "POST",
                p,
                with("\"corpus\",\"pipeline", "\"cor\u0007pus\",\"pipeline"),
                token,
                400,
                "body"));
        c.add(new Bad(
                "an escaped control character in the name",
                "POST",
                p,
                with("\"corpus\",\"pipeline", "\"cor\\u0007pus\",\"pipeline"),
                token,
                422,
                "name"));
        c.add(new Bad(
                "an over-long name",
                "POST",
                p,
                with("\"corpus\",\"pipeline", "\"" + "n".repeat(300) + "\",\"pipeline"),
                token,
                422,
                "name"));
        c.add(new Bad(
                "an over-long table name",
                "POST",
                p,
                tables("[\"public." + "t".repeat(64) + "\"]"),
                token,
                422,
                "config.tables[0]"));
        c.add(new Bad("10,000 tables", "POST", p, tables(many.toString()), token, 422, "config.tables"));
        c.add(new Bad(
                "a table twice",
                "POST",
                p,
                tables("[\"public.orders\",\"PUBLIC.orders\"]"),
                token,
                422,
                "config.tables[1]"));
        c.add(new Bad(
                "SQL in a table name",
                "POST",
                p,
                tables("[\"public.orders; drop table public.orders\"]"),
                token,
                422,
                "config.tables[0]"));
        c.add(new Bad(
                "a system catalog", "POST", p, tables("[\"pg_catalog.pg_authid\"]"), token, 422, "config.tables[0]"));
        c.add(new Bad(
                "a table that does not exist",
                "POST",
                p,
                tables("[\"public.orders\",\"public.nope\"]"),
                token,
                422,
                "config.tables[1]"));
        c.add(new Bad(
                "an unknown source",
                "POST",
                p,
                with("svc_shop_postgres", "svc_nope"),
                token,
                422,
                "source_service_id"));
        c.add(new Bad(
                "an unknown sink", "POST", p, with("svc_events_kafka", "svc_nope"), token, 422, "sink_service_id"));
        c.add(new Bad(
                "swapped services",
                "POST",
                p,
                with("svc_shop_postgres", "@")
                        .replace("svc_events_kafka", "svc_shop_postgres")
                        .replace("@", "svc_events_kafka"),
                token,
                422,
                "source_service_id"));
        c.add(new Bad(
                "a wrong pipeline type",
                "POST",
                p,
                with("cdc_pg_to_kafka", "cdc_mysql_to_kafka"),
                token,
                422,
                "pipeline_type"));
        c.add(new Bad(
                "a topic prefix Kafka refuses",
                "POST",
                p,
                with("\"topic_prefix\":\"corpus\"", "\"topic_prefix\":\"a/b\""),
                token,
                422,
                "config.topic_prefix"));
        c.add(new Bad(
                "an unknown snapshot mode",
                "POST",
                p,
                with("\"topic_prefix\"", "\"snapshot_mode\":\"sometimes\"," + "\"topic_prefix\""),
                token,
                422,
                "config.snapshot_mode"));
        c.add(new Bad(
                "an unknown desired state",
                "POST",
                p,
                with("{\"name\"", "{\"desired_state\":\"paused\",\"name\""),
                token,
                422,
                "desired_state"));
        c.add(new Bad("no token", "POST", p, GOOD, null, 401, "Authorization"));
        c.add(new Bad("a wrong token", "POST", p, GOOD, "not-the-token", 401, "Authorization"));
        c.add(new Bad("a wrong token on validate", "POST", p + "/validate", GOOD, "", 401, "Authorization"));
        c.add(new Bad("validate with an array", "POST", p + "/validate", "[]", token, 400, "body"));
        c.add(new Bad("PUT on the collection", "PUT", p, GOOD, token, 405, "method"));
        c.add(new Bad("DELETE on the services", "DELETE", "/v1/services", null, token, 405, "method"));
        c.add(new Bad("POST on a pipeline", "POST", one, GOOD, token, 405, "method"));
        c.add(new Bad("an unknown path", "GET", "/v1/pipeline", null, token, 404, "path"));
        c.add(new Bad("an unknown pipeline", "GET", p + "/pl_000000000000", null, token, 404, "id"));
        c.add(new Bad("DELETE of an unknown pipeline", "DELETE", p + "/pl_000000000000", null, token, 404, "id"));
        c.add(new Bad(
                "the tables of an unknown service", "GET", "/v1/services/svc_nope/tables", null, token, 404, "id"));
        c.add(new Bad("the tables of a sink", "GET", "/v1/services/svc_events_kafka/tables", null, token, 404, "id"));
        c.add(new Bad(
                "PATCH of an unknown pipeline",
                "PATCH",
                p + "/pl_000000000000",
                "{\"desired_state\":\"stopped\"}",
                token,
                404,
                "id"));
        c.add(new Bad("PATCH of the name", "PATCH", one, "{\"name\":\"renamed\"}", token, 422, "name"));
        c.add(new Bad(
                "PATCH of the source",
                "PATCH",
                one,
                "{\"source_service_id\":\"svc_legacy_postgres\"}",
                token,
                422,
                "source_service_id"));
        c.add(new Bad(
                "PATCH of the topic prefix",
                "PATCH",
                one,
                "{\"config\":{\"topic_prefix\":\"other\"}}",
                token,
                422,
                "config.topic_prefix"));
        c.add(new Bad(
                "PATCH of the pipeline type",
                "PATCH",
                one,
                "{\"pipeline_type\":\"cdc_mysql_to_kafka\"}",
                token,
                422,
                "pipeline_type"));
        c.add(new Bad("PATCH with an array", "PATCH", one, "[]", token, 400, "body"));
        c.add(new Bad(
                "PATCH with duplicate keys",
                "PATCH",
                one,
                "{\"desired_state\":\"stopped\",\"desired_state\":" + "\"running\"}",
                token,
                400,
                "body"));
        c.add(new Bad(
                "PATCH with a number for a state", "PATCH", one, "{\"desired_state\":5}", token, 400, "desired_state"));
        c.add(new Bad(
                "PATCH to an unknown state",
                "PATCH",
                one,
                "{\"desired_state\":\"paused\"}",
                token,
                422,
                "desired_state"));
        c.add(new Bad(
                "PATCH adding a missing table",
                "PATCH",
                one,
                "{\"config\":{\"tables\":[\"public.orders\"," + "\"public.nope\"]}}",
                token,
                422,
                "config.tables[1]"));
        c.add(new Bad(
                "PATCH adding a system catalog",
                "PATCH",
                one,
                "{\"config\":{\"tables\":[\"public.orders\"," + "\"information_schema.tables\"]}}",
                token,
                422,
                "config.tables[1]"));
        String mt = "Content-Type";
        c.add(new Bad(
                "a form-encoded body (curl -d without -H)",
                "POST",
                p,
                GOOD,
                token,
                "application/x-www-form-urlencoded",
                415,
                mt));
        c.add(new Bad("no Content-Type", "POST", p, GOOD, token, null, 415, mt));
        c.add(new Bad("text/plain on validate", "POST", p + "/validate", GOOD, token, "text/plain", 415, mt));
        c.add(new Bad("a merge patch for a create", "POST", p, GOOD, token, "application/merge-patch+json", 415, mt));
        c.add(new Bad(
                "a charset other than UTF-8", "POST", p, GOOD, token, "application/json; charset=iso-8859-1", 415, mt));
        c.add(new Bad(
                "XML on PATCH", "PATCH", one, "{\"desired_state\":\"stopped\"}", token, "application/xml", 415, mt));
        c.add(new Bad(
                "no Content-Type on PATCH", "PATCH", one, "{\"desired_state\":\"stopped\"}", token, null, 415, mt));
        return c;
    }

    @Test
    void everyBadRequestIsA4xxNamingItsFieldAndChangesNothing() throws Exception {
        String existing = s.api().create(Api.spec("corpus-existing", "[\"public.orders\"]", "corpusx"));
        try {
            s.api().awaitRunning(existing);
            awaitStoredOffsets("foundrydb-" + existing); // settled, so that the fingerprint compares a still world
            WorldFingerprint before = WorldFingerprint.of(s);
            Set<String> pipelines = ids();
            String spec = s.api()
                    .call("GET", "/v1/pipelines/" + existing, null)
                    .body()
                    .toString();
            List<Bad> corpus = corpus(s.stack().state().token, existing);
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(47);
            List<String> wrong = new ArrayList<>();
            for (Bad b : corpus) {
                Api.Response r;
                try {
                    r = s.api()
                            .withToken(b.token())
                            .withContentType(b.contentType())
                            .call(b.method(), b.path(), b.body());
                } catch (Exception e) {
                    wrong.add(b.what() + ": " + e);
                    continue;
                }
                JsonNode e = r.body();
                boolean shape = e.has("code")
                        && e.has("message")
                        && e.has("field")
                        && e.has("hint")
                        && e.path("problems").isArray()
                        && e.path("problems").size() >= 1
                        && e.path("problems").get(0).path("code").equals(e.path("code"))
                        && !e.path("message").asText().isBlank()
                        && !e.path("hint").asText().isBlank();
                boolean problem = "application/problem+json".equals(r.contentType())
                        && e.path("type")
                                .asText()
                                .equals("https://foundrydb.com/problems/"
                                        + e.path("code").asText())
                        && !e.path("title").asText().isBlank()
                        && e.path("status").asInt() == r.status()
                        && e.path("detail").asText().equals(e.path("message").asText());
                if (b.status() == 415 && !e.path("hint").asText().contains("Content-Type: application/")) {
                    wrong.add(b.what() + ": the hint names no Content-Type to send: " + e.path("hint"));
                }
                if (!problem) {
                    wrong.add(b.what() + ": not an RFC 9457 problem of its code: " + r.contentType() + " "
                            + abbreviated(r.raw()));
                }
                if (r.status() != b.status()
                        || !b.field().equals(e.path("field").asText())
                        || !shape) {
                    wrong.add(b.what() + ": expected " + b.status() + " naming " + b.field() + ", got " + r.status()
                            + " " + abbreviated(r.raw()));
                }
            }
            assertThat(wrong).as("requests answered otherwise").isEmpty();
            assertThat(ids()).as("no pipeline appeared").isEqualTo(pipelines);
            assertThat(s.api()
                            .call("GET", "/v1/pipelines/" + existing, null)
                            .body()
                            .path("name")
                            .asText())
                    .isEqualTo("corpus-existing");
            assertThat(s.api()
                            .call("GET", "/v1/pipelines/" + existing, null)
                            .body()
                            .path("config")
                            .toString())
                    .isEqualTo(Api.JSON.readTree(spec).path("config").toString());
            assertThat(WorldFingerprint.of(s).differencesFrom(before))
                    .as("the world")
                    .isEmpty();
        } finally {
            s.api().deleteAndAwaitGone(existing);
        }
        assertThat(Residue.of(s, existing)).isEmpty();
    }

    private void awaitStoredOffsets(String connector) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (TopicReader.latestByKey(s.bootstrapServers(), "foundrydb-connect-offsets").keySet().stream()
                .noneMatch(k -> k != null && k.contains("\"" + connector + "\""))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connector " + connector + " stored no offsets in 120 s");
            }
            Thread.sleep(500);
        }
    }

    private Set<String> ids() throws Exception {
        Set<String> ids = new TreeSet<>();
        s.api()
                .call("GET", "/v1/pipelines", null)
                .body()
                .path("pipelines")
                .forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    private static String abbreviated(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
