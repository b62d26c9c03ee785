package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * foundrydb-agent mcp as an AI assistant's client starts it: a real process on stdio, driven by
 * the official MCP SDK's own client, against the real agent. A pipeline's life through the tools,
 * a bad argument answered with the API's field and hint, and stdout carrying nothing but JSON-RPC.
 */
@ExtendWith(TestStack.class)
class McpServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestStack s = TestStack.get();
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    private List<String> command() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(
                java,
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("foundrydb.agentJar") + ":" + System.getProperty("foundrydb.agentLib") + "/*",
                "com.foundrydb.agent.Main",
                "mcp");
    }

    private Map<String, String> env() {
        return Map.of(
                "FOUNDRYDB_ENDPOINT",
                "http://127.0.0.1:" + s.stack().state().agentPort,
                "FOUNDRYDB_TOKEN",
                s.stack().state().token);
    }

    private McpSyncClient client() {
        List<String> cmd = command();
        ServerParameters params = ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size()))
                .env(env())
                .build();
        StdioClientTransport transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(new ObjectMapper()));
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient client =
                McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90)).build();
        client.initialize();
        return client;
    }

    private static JsonNode call(McpSyncClient client, String tool, Map<String, Object> args) {
        CallToolResult r = client.callTool(new CallToolRequest(tool, args));
        assertThat(r.isError()).as(tool + " " + args + ": " + text(r)).isFalse();
        return JSON.valueToTree(r.structuredContent());
    }

    private static String text(CallToolResult r) {
        return r.content().stream()
                .filter(TextContent.class::isInstance)
                .map(c -> ((TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }

    private static JsonNode await(McpSyncClient client, String id, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = call(client, "get_pipeline", Map.of("pipeline_id", id));
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(id + " did not reach the expected state; last: " + last);
    }

    @Test
    void aPipelineLifeThroughTheTools() throws Exception {
        try (McpSyncClient client = client()) {
            Map<String, Tool> tools = client.listTools().tools().stream().collect(Collectors.toMap(Tool::name, t -> t));
            assertThat(tools.keySet())
                    .containsExactlyInAnyOrder(
                            "list_services",
                            "list_source_tables",
                            "list_pipelines",
                            "get_pipeline",
                            "validate_pipeline",
                            "create_pipeline",
                            "pause_pipeline",
                            "resume_pipeline",
                            "delete_pipeline");
            assertThat(tools.get("delete_pipeline").annotations().destructiveHint())
                    .isTrue();
            assertThat(tools.get("list_services").annotations().readOnlyHint()).isTrue();
            assertThat(tools.get("create_pipeline").annotations().destructiveHint())
                    .isFalse();
            assertThat(String.valueOf(tools.get("create_pipeline").inputSchema().get("required")))
                    .contains("name", "config");
            tools.values().forEach(t -> assertThat(t.description()).as(t.name()).hasSizeGreaterThan(60));

            assertThat(call(client, "list_services", Map.of()).path("services").findValuesAsText("id"))
                    .contains("svc_shop_postgres", "svc_events_kafka");
            JsonNode tables = call(client, "list_source_tables", Map.of("service_id", "svc_shop_postgres"));
            assertThat(tables.path("tables").findValuesAsText("qualified_name")).contains("public.orders");

            Map<String, Object> spec = Map.of(
                    "name",
                    "mcp-orders",
                    "source_service_id",
                    "svc_shop_postgres",
                    "sink_service_id",
                    "svc_events_kafka",
                    "config",
                    Map.of("tables", List.of("public.orders"), "topic_prefix", "mcp"));
            assertThat(call(client, "validate_pipeline", spec).path("valid").asBoolean())
                    .isTrue();
            String id = call(client, "create_pipeline", spec).path("id").asText();
            assertThat(id).startsWith("pl_");
            assertThat(call(client, "list_pipelines", Map.of())
                            .path("pipelines")
                            .findValuesAsText("id"))
                    .contains(id);
            JsonNode running = await(
                    client,
                    id,
                    p -> "running".equals(p.path("status").path("phase").asText()));
            assertThat(running.path("status").path("connector_state").asText()).isEqualTo("RUNNING");

            call(client, "pause_pipeline", Map.of("pipeline_id", id));
            JsonNode paused = await(
                    client,
                    id,
                    p -> "stopped".equals(p.path("status").path("phase").asText()));
            assertThat(paused.path("status").path("connector_state").asText()).isEqualTo("STOPPED");

            call(client, "delete_pipeline", Map.of("pipeline_id", id));
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            CallToolResult gone;
            do {
                Thread.sleep(500);
                gone = client.callTool(new CallToolRequest("get_pipeline", Map.of("pipeline_id", id)));
            } while (!Boolean.TRUE.equals(gone.isError()) && System.nanoTime() < deadline);
            assertThat(JSON.valueToTree(gone.structuredContent()).path("code").asText())
                    .as(text(gone))
                    .isEqualTo("not_found");
            assertThat(Residue.of(s, id)).isEmpty();
        }
        assertThat(String.join("\n", stderr)).contains("MCP pipeline tools on stdio");
    }

    @Test
    void aBadArgumentComesBackWithTheApisFieldAndHint() {
        try (McpSyncClient client = client()) {
            CallToolResult r = client.callTool(new CallToolRequest(
                    "create_pipeline",
                    Map.of(
                            "name",
                            "mcp-bad",
                            "source_service_id",
                            "svc_shop_postgres",
                            "sink_service_id",
                            "svc_events_kafka",
                            "config",
                            Map.of(
                                    "tables",
                                    List.of("public.orders", "public.no_such_table"),
                                    "topic_prefix",
                                    "mcp"))));
            assertThat(r.isError()).isTrue();
            JsonNode error = JSON.valueToTree(r.structuredContent());
            assertThat(error.path("status").asInt()).isEqualTo(422);
            assertThat(error.path("field").asText()).isEqualTo("config.tables[1]");
            assertThat(error.path("hint").asText()).isNotBlank();
            assertThat(text(r))
                    .contains(
                            "Field: config.tables[1]",
                            "Hint: " + error.path("hint").asText());

            CallToolResult missing = client.callTool(new CallToolRequest("get_pipeline", Map.of()));
            assertThat(missing.isError()).isTrue();
            assertThat(JSON.valueToTree(missing.structuredContent())
                            .path("field")
                            .asText())
                    .isEqualTo("pipeline_id");
        }
    }

    /** Raw stdio, no SDK in between: every line the server writes to stdout is a JSON-RPC message. */
    @Test
    void stdoutCarriesOnlyJsonRpc() throws Exception {
        Path err = Files.createTempFile("mcp-stderr", ".log");
        ProcessBuilder pb = new ProcessBuilder(command()).redirectError(err.toFile());
        pb.environment().putAll(env());
        Process p = pb.start();
        // A server that never answers fails the test instead of hanging it.
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        List<String> out = new ArrayList<>();
        try (OutputStream in = p.getOutputStream();
                BufferedReader lines =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line : List.of(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_pipelines\","
                            + "\"arguments\":{}}}")) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            String line;
            while (out.size() < 3 && (line = lines.readLine()) != null) {
                out.add(line);
            }
            in.close(); // the client goes away: the server stops
            while ((line = lines.readLine()) != null) {
                out.add(line);
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS))
                .as("mcp exits when stdin closes")
                .isTrue();
        List<Integer> ids = new ArrayList<>();
        for (String line : out) {
            JsonNode m = JSON.readTree(line);
            assertThat(m.path("jsonrpc").asText()).as(line).isEqualTo("2.0");
            ids.add(m.path("id").asInt());
        }
        assertThat(ids).as(String.join("\n", out)).containsExactly(1, 2, 3);
        assertThat(Files.readString(err)).contains("MCP pipeline tools on stdio");
    }
}
