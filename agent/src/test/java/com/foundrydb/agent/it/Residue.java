package com.foundrydb.agent.it;

import com.foundrydb.agent.dev.ConnectWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What is left of a pipeline in the world, checked where a user would look: the catalogs of both
 * hosts, Connect's REST API, the offsets topic, every worker's secrets directory.
 */
public final class Residue {
    private Residue() {}

    public static List<String> of(TestStack s, String pipelineId) throws Exception {
        String suffix = pipelineId.substring(pipelineId.indexOf('_') + 1);
        String name = "foundrydb_" + suffix;
        String connector = "foundrydb-" + pipelineId;
        List<String> left = new ArrayList<>();
        try (Connection c = s.primary("shop")) {
            count(c, "select count(*) from pg_replication_slots where slot_name = ?", name, "replication slot", left);
            count(c, "select count(*) from pg_publication where pubname = ?", name, "publication", left);
            count(c, "select count(*) from pg_roles where rolname = ?", name, "role", left);
            count(c, "select count(*) from pg_namespace where nspname = ?", name, "signal schema", left);
            count(
                    c,
                    "select count(*) from pg_hba_file_rules where ? = any(user_name)",
                    name,
                    "pg_hba entry on primary",
                    left);
        }
        try (Connection c = s.replica("shop")) {
            count(
                    c,
                    "select count(*) from pg_hba_file_rules where ? = any(user_name)",
                    name,
                    "pg_hba entry on replica",
                    left);
        }
        HttpResponse<String> connectors = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(s.connectUrl() + "/connectors"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (connectors.body().contains("\"" + connector + "\"")) {
            left.add("connector " + connector);
        }
        for (Map.Entry<String, String> e : TopicReader.latestByKey(s.bootstrapServers(), "foundrydb-connect-offsets")
                .entrySet()) {
            if (e.getKey() != null && e.getKey().contains("\"" + connector + "\"") && e.getValue() != null) {
                left.add("connector offsets " + e.getKey() + " = " + e.getValue());
            }
        }
        for (ConnectWorker w : s.stack().workers()) {
            Path secret = w.secretsDir().resolve("foundrydb-" + pipelineId + ".properties");
            if (Files.exists(secret)) {
                left.add("secret file " + secret.getFileName() + " on " + w.name());
            }
        }
        return left;
    }

    private static void count(Connection c, String sql, String arg, String what, List<String> left) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    left.add(what + " (" + rs.getInt(1) + ")");
                }
            }
        }
    }
}
