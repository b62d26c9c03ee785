package com.foundrydb.agent.it;

import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a pipeline could leave behind, across the whole stack, as sorted lines: per source
 * host its pg_hba.conf bytes, replication slots, roles, publications and schemas of the pipeline
 * database; per sink each worker's view of the connectors and the files in each worker's secrets
 * directory, and the offsets still stored for connectors. Two fingerprints are equal when nothing was created or left; the
 * difference names exactly what was.
 */
public final class WorldFingerprint {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> facts;

    private WorldFingerprint(Map<String, String> facts) {
        this.facts = facts;
    }

    public static WorldFingerprint of(TestStack s) throws Exception {
        return of(s.stack().agentConfig());
    }

    /** Every source host and sink the configuration registers. */
    public static WorldFingerprint of(AgentConfig config) throws Exception {
        Map<String, String> f = new TreeMap<>();
        for (SourceService source : config.sources()) {
            for (SourceService.Host h : source.hosts()) {
                host(source, h, f);
            }
        }
        for (SinkService sink : config.sinks()) {
            sink(sink, f);
        }
        return new WorldFingerprint(f);
    }

    private static void host(SourceService source, SourceService.Host h, Map<String, String> f) throws Exception {
        String at = source.id() + " " + h.endpoint() + " ";
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + h.address() + ":" + h.port() + "/" + source.database(),
                        source.adminUser(),
                        source.adminPassword());
                Statement st = c.createStatement()) {
            f.put(at + "pg_hba.conf", one(st, "select pg_read_file(current_setting('hba_file'))"));
            f.put(
                    at + "slots",
                    all(
                            st,
                            "select slot_name || ' ' || plugin || ' ' || coalesce(database, '-')"
                                    + " from pg_replication_slots order by 1"));
            f.put(at + "roles", all(st, "select rolname from pg_roles where rolname !~ '^pg_' order by 1"));
            f.put(at + "publications", all(st, "select pubname from pg_publication order by 1"));
            f.put(
                    at + "schemas",
                    all(
                            st,
                            "select nspname from pg_namespace where nspname !~ '^pg_'"
                                    + " and nspname <> 'information_schema' order by 1"));
        } catch (java.sql.SQLException e) {
            f.put(at + "unreachable", e.getMessage());
        }
    }

    private static void sink(SinkService sink, Map<String, String> f) throws Exception {
        String at = sink.id() + " ";
        for (SinkService.Worker w : sink.workers()) {
            f.put(at + w.url() + " connectors", connectors(w.url()));
            if (w.secretsDir() != null) {
                Path dir = Path.of(w.secretsDir());
                List<String> files = new ArrayList<>();
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> list = Files.list(dir)) {
                        list.map(p -> p.getFileName().toString()).sorted().forEach(files::add);
                    }
                }
                f.put(at + w.url() + " secrets files", String.join("\n", files));
            }
        }
        List<String> offsets = new ArrayList<>();
        for (Map.Entry<String, String> e : TopicReader.latestByKey(sink.bootstrapServers(), "foundrydb-connect-offsets")
                .entrySet()) {
            if (e.getKey() != null && e.getValue() != null) {
                offsets.add(e.getKey());
            }
        }
        offsets.sort(null);
        f.put(at + "connector offsets", String.join("\n", offsets));
    }

    /**
     * One worker's view of the cluster's connectors. A worker answers 409 while the group
     * rebalances, and one that is down is a fact of its own.
     */
    private static String connectors(String url) throws Exception {
        String last = "";
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/connectors"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    List<String> names = new ArrayList<>();
                    Api.JSON.readTree(r.body()).forEach(n -> names.add(n.asText()));
                    names.sort(null);
                    return String.join("\n", names);
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                return "unreachable";
            }
            Thread.sleep(500);
        }
        return "no answer but " + last;
    }

    private static String one(Statement st, String sql) throws java.sql.SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String all(Statement st, String sql) throws java.sql.SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return String.join("\n", rows);
    }

    /** What differs from an earlier fingerprint, one entry per fact, empty when the world is the same. */
    public List<String> differencesFrom(WorldFingerprint before) {
        List<String> out = new ArrayList<>();
        TreeMap<String, String> keys = new TreeMap<>(before.facts);
        keys.putAll(facts);
        for (String key : keys.keySet()) {
            String was = before.facts.get(key);
            String now = facts.get(key);
            if (was == null ? now != null : !was.equals(now)) {
                out.add(key + ":\n  before: " + indent(was) + "\n  after:  " + indent(now));
            }
        }
        return out;
    }

    private static String indent(String s) {
        return s == null ? "(absent)" : s.replace("\n", "\n          ");
    }

    @Override
    public String toString() {
        return facts.toString();
    }
}
