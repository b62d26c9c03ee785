package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input gets a 4xx that names the field and the fix, before anything is built: after every
 * rejected request the source and Connect look exactly as before, and no pipeline exists.
 */
@ExtendWith(TestStack.class)
class ValidationIT {
    private static TestStack s;

    @BeforeAll
    static void tables() throws Exception {
        s = TestStack.get();
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create table if not exists public.audit_log (at timestamptz, note text)"); // no primary key
            st.execute("create table if not exists public.x (id int primary key)");
        }
    }

    @Test
    void unknownSourceService() throws Exception {
        rejected(
                spec("orders", "[\"public.orders\"]", "shop").replace("svc_shop_postgres", "svc_nope"),
                422,
                "source_service_id");
    }

    @Test
    void unknownSinkService() throws Exception {
        rejected(
                spec("orders", "[\"public.orders\"]", "shop").replace("svc_events_kafka", "svc_nope"),
                422,
                "sink_service_id");
    }

    @Test
    void emptyTableList() throws Exception {
        rejected(spec("orders", "[]", "shop"), 422, "config.tables");
    }

    @Test
    void tableThatDoesNotExist() throws Exception {
        JsonNode e = rejected(spec("orders", "[\"public.orders\", \"public.nope\"]", "shop"), 422, "config.tables[1]");
        assertThat(e.path("message").asText()).contains("public.nope").contains("does not exist");
    }

    @Test
    void tableWithoutPrimaryKey() throws Exception {
        JsonNode e = rejected(spec("orders", "[\"public.audit_log\"]", "shop"), 422, "config.tables[0]");
        assertThat(e.path("code").asText()).isEqualTo("no_primary_key");
        assertThat(e.path("hint").asText()).contains("PRIMARY KEY");
    }

    @Test
    void injectionAttemptsInTableNames() throws Exception {
        rejected(spec("orders", "[\"public.orders; drop table x\"]", "shop"), 422, "config.tables[0]");
        rejected(spec("orders", "[\"public.\\\"x\\\"; drop table x\"]", "shop"), 422, "config.tables[0]");
        rejected(spec("orders", "[\"public.orders' or '1'='1\"]", "shop"), 422, "config.tables[0]");
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_class where relname = 'x'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("table x survives").isEqualTo(1);
        }
    }

    @Test
    void topicPrefixKafkaRejects() throws Exception {
        rejected(spec("orders", "[\"public.orders\"]", "shop/events"), 422, "config.topic_prefix");
        rejected(spec("orders", "[\"public.orders\"]", "shop..events"), 422, "config.topic_prefix");
        rejected(spec("orders", "[\"public.orders\"]", ""), 422, "config.topic_prefix");
    }

    @Test
    void malformedPipelineName() throws Exception {
        rejected(spec("orders; drop role postgres", "[\"public.orders\"]", "shop"), 422, "name");
    }

    @Test
    void unknownFieldAndWrongType() throws Exception {
        rejected(spec("orders", "[\"public.orders\"]", "shop").replace("\"name\"", "\"nmae\""), 400, "nmae");
        rejected(spec("orders", "\"public.orders\"", "shop"), 400, "config.tables");
    }

    @Test
    void sourceWithoutLogicalWal() throws Exception {
        JsonNode e = rejected(
                spec("orders", "[\"public.orders\"]", "shop").replace("svc_shop_postgres", TestStack.LEGACY_SOURCE_ID),
                422,
                "source_service_id");
        assertThat(e.path("code").asText()).isEqualTo("wal_level");
        assertThat(e.path("hint").asText()).contains("wal_level = logical");
    }

    @Test
    void duplicateName() throws Exception {
        String id = s.api().create(spec("orders-dup", "[\"public.orders\"]", "dup"));
        s.api().awaitRunning(id); // settled, so that "nothing created" compares a still world
        try {
            JsonNode e = rejected(spec("orders-dup", "[\"public.orders\"]", "dup2"), 409, "name");
            assertThat(e.path("code").asText()).isEqualTo("conflict");
        } finally {
            s.api().deleteAndAwaitGone(id);
        }
        assertThat(Residue.of(s, id)).isEmpty();
    }

    @Test
    void validateReportsEveryProblemAndChangesNothing() throws Exception {
        String before = snapshot();
        Api.Response r =
                s.api().call("POST", "/v1/pipelines/validate", spec("bad name!", "[\"public.orders; x\"]", "a/b"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("valid").asBoolean()).isFalse();
        List<String> fields = new ArrayList<>();
        r.body().path("problems").forEach(p -> fields.add(p.path("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("name", "config.tables[0]", "config.topic_prefix");
        Api.Response ok = s.api().call("POST", "/v1/pipelines/validate", spec("fine", "[\"public.orders\"]", "shop"));
        assertThat(ok.body().path("valid").asBoolean()).as(ok.raw()).isTrue();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void tokenCheckedOnEveryCall() throws Exception {
        for (String path : List.of("/v1/services", "/v1/pipelines", "/v1/pipelines/pl_x", "/metrics")) {
            assertThat(s.api().withToken(null).call("GET", path, null).status())
                    .as(path)
                    .isEqualTo(401);
            assertThat(s.api().withToken("wrong").call("GET", path, null).status())
                    .as(path)
                    .isEqualTo(401);
        }
        Api.Response r =
                s.api().withToken("wrong").call("POST", "/v1/pipelines", spec("x", "[\"public.orders\"]", "s"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().path("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void servicesShowNoSecrets() throws Exception {
        Api.Response r = s.api().call("GET", "/v1/services", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("services").size()).isEqualTo(3);
        assertThat(r.raw()).doesNotContain(s.stack().state().adminPassword).doesNotContain("password");
    }

    private static String spec(String name, String tables, String prefix) {
        return Api.spec(name, tables, prefix);
    }

    /** Asserts the error shape and that nothing was created; returns the error. */
    private static JsonNode rejected(String body, int status, String field) throws Exception {
        String before = snapshot();
        Api.Response r = s.api().call("POST", "/v1/pipelines", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.body().path("field").asText()).as(r.raw()).isEqualTo(field);
        assertThat(r.body().path("message").asText()).isNotBlank();
        assertThat(r.body().path("hint").asText()).isNotBlank();
        assertThat(snapshot()).as("nothing created by " + body).isEqualTo(before);
        return r.body();
    }

    /** Everything a pipeline could create, as one comparable text. */
    private static String snapshot() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            for (String q : List.of(
                    "select string_agg(rolname, ',' order by rolname) from pg_roles",
                    "select string_agg(pubname, ',' order by pubname) from pg_publication",
                    "select string_agg(slot_name, ',' order by slot_name) from pg_replication_slots",
                    "select pg_read_file(current_setting('hba_file'))")) {
                try (ResultSet rs = st.executeQuery(q)) {
                    rs.next();
                    b.append(rs.getString(1)).append('\n');
                }
            }
        }
        b.append(s.api().call("GET", "/v1/pipelines", null).raw());
        var http = java.net.http.HttpClient.newHttpClient();
        b.append(http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.connectUrl() + "/connectors"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body());
        return b.toString();
    }
}
