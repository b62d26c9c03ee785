package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.connect.DebeziumRelease;
import com.foundrydb.agent.connect.PluginArchive;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tables named the way ORMs and people name them (mixed case, spaces, quotes, non-ASCII letters)
 * are captured like any other: each table's rows arrive on the topic the pipeline reports, rows of a
 * table differing only by case never do, a quoted table added later brings its existing rows,
 * and delete leaves nothing. What cannot be captured faithfully is refused with field and hint.
 */
@ExtendWith(TestStack.class)
class TableNamesIT {
    private static TestStack s;

    @BeforeAll
    static void tables() throws Exception {
        s = TestStack.get();
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            for (String sql : List.of(
                    "create table if not exists public.\"Customer\" (id int primary key, note text)",
                    "create table if not exists public.customer (id int primary key, note text)", // differs only by
                    // case
                    "create schema if not exists \"Sales Dept\"",
                    "create table if not exists \"Sales Dept\".\"Order Items\" (id int primary key, note text)",
                    "create table if not exists \"Sales Dept\".\"Line Items\" (id int primary key, note text)",
                    "create schema if not exists \"we\"\"ird\"",
                    "create table if not exists \"we\"\"ird\".t (id int primary key, note text)",
                    "create table if not exists public.\"Order-Lines\" (id int primary key, note text)",
                    "create table if not exists public.\"MixedCase\" (id int primary key)",
                    "create table if not exists public.\"a,b\" (id int primary key)",
                    "create schema if not exists \"Bestellungen_Ü\"",
                    "create table if not exists \"Bestellungen_Ü\".\"größe\" (id int primary key, note text, \"stück\" int)",
                    "create table if not exists \"Bestellungen_Ü\".\"Größe\" (id int primary key, note text, \"stück\" int)",
                    "create table if not exists public.\"注文\" (id int primary key, note text)",
                    "create table if not exists public.\"Ωmega\" (id int primary key, note text)")) {
                st.execute(sql);
            }
            for (String t : List.of(
                    "public.\"Customer\"",
                    "public.customer",
                    "\"Sales Dept\".\"Order Items\"",
                    "\"Sales Dept\".\"Line Items\"",
                    "\"we\"\"ird\".t",
                    "public.\"Order-Lines\"",
                    "public.\"注文\"",
                    "public.\"Ωmega\"")) {
                st.execute("insert into " + t + " values (1, 'before " + t.replace("'", "''")
                        + "') on conflict do nothing");
            }
            st.execute("insert into \"Bestellungen_Ü\".\"größe\" values (1, 'vorher', 3) on conflict do nothing");
        }
    }

    @Test
    void quotedNamesAreCapturedOnTheirReportedTopicsAndNothingElseLeaks() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        String tables = "[\"public.\\\"Customer\\\"\", \"\\\"Sales Dept\\\".\\\"Order Items\\\"\","
                + " \"\\\"we\\\"\\\"ird\\\".t\", \"public.\\\"Order-Lines\\\"\"]";
        String id = s.api().create(Api.spec("quoted-names", tables, "qn"));
        JsonNode running = s.api().awaitRunning(id).body();
        List<String> topics = new ArrayList<>();
        running.path("status").path("topics").forEach(t -> topics.add(t.asText()));
        assertThat(topics)
                .containsExactly(
                        "qn.public.Customer", "qn.Sales_Dept.Order_Items", "qn.we_ird.t", "qn.public.Order-Lines");
        JsonNode live = s.api()
                .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                .body()
                .path("status");
        Set<String> published = new TreeSet<>();
        live.path("published_tables").forEach(t -> published.add(t.asText()));
        assertThat(published)
                .as("published, in the spelling of config.tables")
                .containsExactlyInAnyOrder(
                        "public.\"Customer\"",
                        "\"Sales Dept\".\"Order Items\"",
                        "\"we\"\"ird\".t",
                        "public.\"Order-Lines\"");

        Map<String, String> tableOfTopic = Map.of(
                "qn.public.Customer",
                "public.\"Customer\"",
                "qn.Sales_Dept.Order_Items",
                "\"Sales Dept\".\"Order Items\"",
                "qn.we_ird.t",
                "\"we\"\"ird\".t",
                "qn.public.Order-Lines",
                "public.\"Order-Lines\"");
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            for (String t : tableOfTopic.values()) {
                st.execute("insert into " + t + " values (2, 'after')");
            }
            st.execute("insert into public.customer values (2, 'decoy')");
        }
        Map<String, String[]> source = Map.of(
                "qn.public.Customer",
                new String[] {"public", "Customer"},
                "qn.Sales_Dept.Order_Items",
                new String[] {"Sales Dept", "Order Items"},
                "qn.we_ird.t",
                new String[] {"we\"ird", "t"},
                "qn.public.Order-Lines",
                new String[] {"public", "Order-Lines"});
        for (String topic : topics) {
            // The snapshot's row and the streamed one, both from exactly that table.
            List<JsonNode> seen = TopicReader.awaitPayload(
                    s.bootstrapServers(), topic, p -> p.path("after").path("id").asInt() == 2, Duration.ofSeconds(120));
            assertThat(seen)
                    .as(topic)
                    .anyMatch(p -> p.path("after").path("id").asInt() == 1
                            && "r".equals(p.path("op").asText()));
            for (JsonNode p : seen) {
                assertThat(p.path("source").path("schema").asText()).as(topic).isEqualTo(source.get(topic)[0]);
                assertThat(p.path("source").path("table").asText()).as(topic).isEqualTo(source.get(topic)[1]);
                assertThat(p.path("after").path("note").asText()).as(topic).isNotEqualTo("decoy");
            }
        }
        assertThat(TopicReader.topics(s.bootstrapServers()).stream().filter(t -> t.startsWith("qn.")))
                .as("no topic for public.customer, which differs only by case")
                .containsExactlyInAnyOrderElementsOf(topics);

        // The tables listing offers them in the form config.tables accepts, captured by this pipeline.
        JsonNode listing = s.api()
                .call("GET", "/v1/services/svc_shop_postgres/tables", null)
                .body()
                .path("tables");
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        listing.forEach(t -> byName.put(t.path("qualified_name").asText(), t));
        for (String t : tableOfTopic.values()) {
            assertThat(byName).containsKey(t);
            assertThat(byName.get(t).path("capturable").asBoolean()).as(t).isTrue();
            assertThat(byName.get(t).path("captured_by").toString()).as(t).contains(id);
        }
        assertThat(byName.get("public.\"a,b\"").path("capturable").asBoolean()).isFalse();
        assertThat(byName.get("public.\"a,b\"").path("hint").asText()).contains("','");

        // A quoted table with a space, added in place: its existing row comes by an incremental snapshot.
        Api.Response widened = s.api()
                .call(
                        "PATCH",
                        "/v1/pipelines/" + id,
                        "{\"config\":{\"tables\":" + tables.replace("]", ", \"\\\"Sales Dept\\\".\\\"Line Items\\\"\"]")
                                + "}}");
        assertThat(widened.status()).as(widened.raw()).isEqualTo(200);
        assertThat(widened.body().path("status").path("topics").toString()).contains("qn.Sales_Dept.Line_Items");
        s.api().awaitRunning(id);
        List<JsonNode> added = TopicReader.awaitPayload(
                s.bootstrapServers(),
                "qn.Sales_Dept.Line_Items",
                p -> p.path("after").path("id").asInt() == 1
                        && "r".equals(p.path("op").asText()),
                Duration.ofSeconds(120));
        assertThat(added)
                .allSatisfy(
                        p -> assertThat(p.path("source").path("table").asText()).isEqualTo("Line Items"));

        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
        assertThat(WorldFingerprint.of(s).differencesFrom(before)).isEmpty();
    }

    /**
     * Non-ASCII schema, table and column names (German, Japanese, Greek): snapshot and streamed rows
     * arrive with their exact names and values on the topics the pipeline reports (each character
     * Kafka does not allow written as '_'), a table differing only by the case of a non-ASCII name's
     * letters is not captured, and one added in place brings its rows by an incremental snapshot.
     */
    @Test
    void nonAsciiNamesAreCapturedOnTheirReportedTopics() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        String tables = "[\"\\\"Bestellungen_Ü\\\".\\\"größe\\\"\", \"public.\\\"注文\\\"\"]";
        String id = s.api().create(Api.spec("non-ascii-names", tables, "na"));
        JsonNode running = s.api().awaitRunning(id).body();
        List<String> topics = new ArrayList<>();
        running.path("status").path("topics").forEach(t -> topics.add(t.asText()));
        assertThat(topics).containsExactly("na.Bestellungen__.gr__e", "na.public.__");
        JsonNode live = s.api()
                .call("GET", "/v1/pipelines/" + id + "?live=true", null)
                .body()
                .path("status");
        Set<String> published = new TreeSet<>();
        live.path("published_tables").forEach(t -> published.add(t.asText()));
        assertThat(published).containsExactlyInAnyOrder("\"Bestellungen_Ü\".\"größe\"", "public.\"注文\"");

        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("insert into \"Bestellungen_Ü\".\"größe\" values (2, 'Straße', 7)");
            st.execute("update \"Bestellungen_Ü\".\"größe\" set \"stück\" = 8 where id = 2");
            st.execute("insert into \"Bestellungen_Ü\".\"Größe\" values (2, 'decoy', 0)");
            st.execute("insert into public.\"注文\" values (2, '東京')");
        }
        List<JsonNode> orders = TopicReader.awaitPayload(
                s.bootstrapServers(),
                "na.Bestellungen__.gr__e",
                p -> "u".equals(p.path("op").asText()),
                Duration.ofSeconds(120));
        assertThat(orders)
                .anyMatch(p -> "r".equals(p.path("op").asText())
                        && p.path("after").path("id").asInt() == 1
                        && "vorher".equals(p.path("after").path("note").asText())
                        && p.path("after").path("stück").asInt() == 3);
        assertThat(orders)
                .anyMatch(p -> "c".equals(p.path("op").asText())
                        && p.path("after").path("id").asInt() == 2
                        && "Straße".equals(p.path("after").path("note").asText())
                        && p.path("after").path("stück").asInt() == 7);
        assertThat(orders.get(orders.size() - 1).path("after").path("stück").asInt())
                .isEqualTo(8);
        for (JsonNode p : orders) {
            assertThat(p.path("source").path("schema").asText()).isEqualTo("Bestellungen_Ü");
            assertThat(p.path("source").path("table").asText()).isEqualTo("größe");
            assertThat(p.path("after").path("note").asText()).isNotEqualTo("decoy");
        }
        List<JsonNode> japanese = TopicReader.awaitPayload(
                s.bootstrapServers(),
                "na.public.__",
                p -> p.path("after").path("id").asInt() == 2,
                Duration.ofSeconds(120));
        assertThat(japanese)
                .anyMatch(p -> "r".equals(p.path("op").asText())
                        && p.path("after").path("id").asInt() == 1);
        assertThat(japanese.get(japanese.size() - 1).path("after").path("note").asText())
                .isEqualTo("東京");
        assertThat(japanese)
                .allSatisfy(
                        p -> assertThat(p.path("source").path("table").asText()).isEqualTo("注文"));

        // Added in place: Debezium reads the execute-snapshot signal's escaped pattern for this name.
        Api.Response widened = s.api()
                .call(
                        "PATCH",
                        "/v1/pipelines/" + id,
                        "{\"config\":{\"tables\":" + tables.replace("]", ", \"public.\\\"Ωmega\\\"\"]") + "}}");
        assertThat(widened.status()).as(widened.raw()).isEqualTo(200);
        assertThat(widened.body().path("status").path("topics").path(2).asText())
                .isEqualTo("na.public._mega");
        s.api().awaitRunning(id);
        List<JsonNode> added = TopicReader.awaitPayload(
                s.bootstrapServers(),
                "na.public._mega",
                p -> p.path("after").path("id").asInt() == 1
                        && "r".equals(p.path("op").asText()),
                Duration.ofSeconds(120));
        assertThat(added)
                .allSatisfy(
                        p -> assertThat(p.path("source").path("table").asText()).isEqualTo("Ωmega"));
        assertThat(TopicReader.topics(s.bootstrapServers()).stream().filter(t -> t.startsWith("na.")))
                .as("no topic for \"Bestellungen_Ü\".\"Größe\", which differs only by case")
                .containsExactlyInAnyOrder("na.Bestellungen__.gr__e", "na.public.__", "na.public._mega");

        s.api().deleteAndAwaitGone(id);
        assertThat(Residue.of(s, id)).isEmpty();
        assertThat(WorldFingerprint.of(s).differencesFrom(before)).isEmpty();
    }

    /**
     * Debezium before 3.4.3 drops the streamed changes of tables with non-ASCII names: a sink whose
     * plugin archive is such a release gets them refused, naming the table, the release and the
     * fix, while ASCII names still pass.
     */
    @Test
    void aSinkOnAnOlderDebeziumRefusesNonAsciiNames() throws Exception {
        AgentConfig original = s.config();
        Path previous = s.previousPluginArchive();
        String older = PluginArchive.version(previous);
        assertThat(DebeziumRelease.readsNonAsciiNames(older)).as(older).isFalse();
        try {
            s.restartAgentWith(s.configWithArchive(previous));
            Api.Response refused = s.api()
                    .call(
                            "POST",
                            "/v1/pipelines/validate",
                            Api.spec(
                                    "old-plugin",
                                    "[\"public.\\\"Customer\\\"\", \"\\\"Bestellungen_Ü\\\".\\\"größe\\\"\"]",
                                    "op"));
            assertThat(refused.status()).as(refused.raw()).isEqualTo(200);
            JsonNode problem = refused.body().path("problems").path(0);
            assertThat(refused.body().path("problems").size()).as(refused.raw()).isEqualTo(1);
            assertThat(problem.path("field").asText()).isEqualTo("config.tables[1]");
            assertThat(problem.path("message").asText())
                    .contains("\"Bestellungen_Ü\".\"größe\"")
                    .contains(older);
            assertThat(problem.path("hint").asText()).contains(DebeziumRelease.UTF8_NAMES);
            Api.Response ascii = s.api()
                    .call(
                            "POST",
                            "/v1/pipelines/validate",
                            Api.spec("old-plugin", "[\"public.\\\"Customer\\\"\"]", "op"));
            assertThat(ascii.body().path("valid").asBoolean()).as(ascii.raw()).isTrue();
        } finally {
            s.restartAgentWith(original);
        }
    }

    @Test
    void namesThatCannotBeCapturedAreRefusedWithFieldAndHint() throws Exception {
        WorldFingerprint before = WorldFingerprint.of(s);
        Set<String> pipelines = pipelineIds();
        record Refused(String tables, String field, String says) {}
        for (Refused r : List.of(
                new Refused("[\"public.\\\"a,b\\\"\"]", "config.tables[0]", "','"),
                new Refused(
                        "[\"public.customer\", \"public.\\\"Customer\\\"\"]",
                        "config.tables[1]",
                        "differ only by case"),
                new Refused(
                        "[\"public.\\\"Customer\\\"\", \"PUBLIC.\\\"Customer\\\"\"]",
                        "config.tables[1]",
                        "listed twice"),
                new Refused("[\"pg_catalog.pg_class\"]", "config.tables[0]", "system catalog"),
                new Refused("[\"information_schema.tables\"]", "config.tables[0]", "system catalog"),
                new Refused("[\"foundrydb_0a1b2c3d4e5f.signal\"]", "config.tables[0]", "agent's own"),
                new Refused("[\"\\\"we.ird\\\".t\"]", "config.tables[0]", "'.'"),
                new Refused("[\"public.\\\"注文\\\"\", \"public.\\\"中国\\\"\"]", "config.tables[1]", "share the topic"))) {
            for (String path : List.of("/v1/pipelines/validate", "/v1/pipelines")) {
                Api.Response a = s.api().call("POST", path, Api.spec("refused-names", r.tables(), "rn"));
                JsonNode problem =
                        path.endsWith("validate") ? a.body().path("problems").path(0) : a.body();
                assertThat(a.status()).as(a.raw()).isEqualTo(path.endsWith("validate") ? 200 : 422);
                assertThat(problem.path("field").asText()).as(a.raw()).isEqualTo(r.field());
                assertThat(problem.path("message").asText()).as(a.raw()).contains(r.says());
                assertThat(problem.path("hint").asText()).as(a.raw()).isNotBlank();
            }
        }
        // Not found, but a table differing only by case exists: the hint gives its quoted form.
        Api.Response missing =
                s.api().call("POST", "/v1/pipelines", Api.spec("refused-names", "[\"public.MixedCase\"]", "rn"));
        assertThat(missing.status()).as(missing.raw()).isEqualTo(422);
        assertThat(missing.body().path("field").asText()).isEqualTo("config.tables[0]");
        assertThat(missing.body().path("message").asText())
                .contains("public.mixedcase")
                .contains("does not exist");
        assertThat(missing.body().path("hint").asText()).contains("public.\"MixedCase\"");
        assertThat(pipelineIds()).isEqualTo(pipelines);
        assertThat(WorldFingerprint.of(s).differencesFrom(before)).isEmpty();
    }

    /**
     * Specs stored before names were read as PostgreSQL reads them named "public.Orders" exactly:
     * the migration quotes such parts so they name the same tables, and leaves the rest alone.
     */
    @Test
    void storedSpecsKeepNamingTheSameTables() throws Exception {
        String migration;
        try (var in = TableNamesIT.class.getResourceAsStream("/db/migration/V4__quote_mixed_case_table_names.sql")) {
            migration = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        try (Connection c = s.primary("shop");
                Statement st = c.createStatement()) {
            st.execute("create temporary table pipeline (id text, spec jsonb)");
            st.execute("""
          insert into pipeline values
            ('old', '{"name":"o","config":{"tables":["public.Orders","Sales.line_items","public.orders"],"topic_prefix":"p"}}'),
            ('new', '{"name":"n","config":{"tables":["public.\\"Customer\\"","PUBLIC.x y"],"topic_prefix":"p"}}'),
            ('none', '{"name":"z","config":{"topic_prefix":"p"}}')
          """);
            st.execute(migration);
            java.util.Map<String, String> after = new java.util.HashMap<>();
            try (var rs = st.executeQuery("select id, coalesce(spec -> 'config' ->> 'tables', '-') from pipeline")) {
                while (rs.next()) {
                    after.put(rs.getString(1), rs.getString(2));
                }
            }
            assertThat(after.get("old"))
                    .isEqualTo("[\"public.\\\"Orders\\\"\", \"\\\"Sales\\\".line_items\", \"public.orders\"]");
            assertThat(after.get("new"))
                    .as("not written under the old rules: untouched")
                    .isEqualTo("[\"public.\\\"Customer\\\"\", \"PUBLIC.x y\"]");
            assertThat(after.get("none")).isEqualTo("-");
        }
    }

    static Set<String> pipelineIds() throws Exception {
        Set<String> ids = new TreeSet<>();
        s.api()
                .call("GET", "/v1/pipelines", null)
                .body()
                .path("pipelines")
                .forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }
}
