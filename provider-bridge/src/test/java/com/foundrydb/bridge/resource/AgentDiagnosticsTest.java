package com.foundrydb.bridge.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.client.AgentClient;
import com.foundrydb.bridge.client.AgentException;
import com.foundrydb.bridge.client.FakeAgent;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.diag.Diagnostic;
import com.foundrydb.bridge.diag.Diagnostics;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's error answers, as they come over HTTP through the SDK, to the diagnostics
 * Terraform shows: each names the attribute at fault, says what is wrong and how to fix it,
 * in the agent's error shape today and as an RFC 9457 problem with the same members.
 */
class AgentDiagnosticsTest {

    private FakeAgent agent;
    private AgentClient client;

    @BeforeEach
    void start() throws Exception {
        agent = new FakeAgent("t0ken");
        client = new AgentClient(agent.endpoint(), "t0ken", "test");
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    /** What reading pipeline pl_1 turns into when the agent answers {@code status} with {@code body}. */
    private List<Diagnostic> readingAnswered(int status, String contentType, String body) {
        agent.answer("/v1/pipelines/pl_1", status, contentType, body);
        return diagnosticsOf(() -> client.getPipeline("pl_1", true)).asList();
    }

    private static Diagnostics diagnosticsOf(Runnable call) {
        try {
            call.run();
        } catch (AgentException e) {
            return AgentDiagnostics.of("reading pipeline pl_1", e, PipelineSchema.TYPE);
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void theAgentsErrorPointsAtItsAttributeWithHintAndCode() {
        List<Diagnostic> diagnostics = readingAnswered(422, "application/json", """
                {"code":"immutable","message":"config.topic_prefix cannot change in place","field":"config.topic_prefix",
                 "hint":"Create a new pipeline with the new prefix.","problems":[],"request_id":"r-1"}
                """);
        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.attribute()).isEqualTo(CtyPath.of("config", "topic_prefix"));
            assertThat(d.summary()).isEqualTo("Config.topic_prefix cannot change in place");
            assertThat(d.detail())
                    .isEqualTo("reading pipeline pl_1 (HTTP 422) Create a new pipeline with the new "
                            + "prefix. (agent error code: immutable)");
        });
    }

    @Test
    void everyProblemIsADiagnosticOfItsOwn() {
        List<Diagnostic> diagnostics = readingAnswered(422, "application/json", """
                {"code":"table_not_found","message":"table public.nope does not exist","field":"config.tables[1]",
                 "hint":"Create the table.","problems":[
                   {"code":"table_not_found","message":"table public.nope does not exist","field":"config.tables[1]",
                    "hint":"Create the table."},
                   {"code":"unknown_service","message":"no Kafka service svc_x","field":"sink_service_id","hint":null}]}
                """);
        assertThat(diagnostics)
                .extracting(Diagnostic::attribute)
                .containsExactly(CtyPath.parse("config.tables[1]"), CtyPath.of("sink_service_id"));
        assertThat(diagnostics.get(0).detail())
                .startsWith("reading pipeline pl_1 (HTTP 422): Field config.tables[1].")
                .contains("Create the table.")
                .contains("table_not_found");
        assertThat(diagnostics.get(1).detail()).startsWith("reading pipeline pl_1 (HTTP 422): Field sink_service_id.");
    }

    @Test
    void anRfc9457ProblemWithTheSameMembersMeansTheSame() {
        List<Diagnostic> diagnostics = readingAnswered(422, "application/problem+json", """
                {"type":"https://foundrydb.dev/problems/immutable","title":"Cannot change in place","status":422,
                 "detail":"config.topic_prefix cannot change in place","instance":"/v1/pipelines/pl_1",
                 "code":"immutable","field":"config.topic_prefix","hint":"Create a new pipeline with the new prefix."}
                """);
        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.attribute()).isEqualTo(CtyPath.of("config", "topic_prefix"));
            assertThat(d.summary()).isEqualTo("Config.topic_prefix cannot change in place");
            assertThat(d.detail()).contains("Create a new pipeline").contains("(agent error code: immutable)");
        });

        List<Diagnostic> several = readingAnswered(422, "application/problem+json", """
                {"type":"about:blank","title":"Invalid pipeline","status":422,"problems":[
                   {"detail":"table public.nope does not exist","code":"table_not_found","field":"config.tables[0]"},
                   {"title":"Name taken","field":"name"}]}
                """);
        assertThat(several)
                .extracting(Diagnostic::summary)
                .containsExactly("Table public.nope does not exist", "Name taken");
        assertThat(several)
                .extracting(Diagnostic::attribute)
                .containsExactly(CtyPath.parse("config.tables[0]"), CtyPath.of("name"));
    }

    @Test
    void theAgentsProblemAnswersPointAtTheirAttributesWithHintAndCode() {
        // Exactly as the agent answers: RFC 9457 members, then code, message, field, hint and problems.
        List<Diagnostic> diagnostics = readingAnswered(422, "application/problem+json", """
                {"type":"https://foundrydb.com/problems/not_found","title":"Not found","status":422,
                 "detail":"table public.nope does not exist in the source database","code":"not_found",
                 "message":"table public.nope does not exist in the source database","field":"config.tables[1]",
                 "hint":"create it, or remove it from config.tables","problems":[
                   {"code":"not_found","message":"table public.nope does not exist in the source database",
                    "field":"config.tables[1]","hint":"create it, or remove it from config.tables"},
                   {"code":"no_primary_key","message":"table public.audit has no primary key",
                    "field":"config.tables[2]","hint":"add a primary key"}]}
                """);
        assertThat(diagnostics)
                .extracting(Diagnostic::attribute)
                .containsExactly(CtyPath.parse("config.tables[1]"), CtyPath.parse("config.tables[2]"));
        assertThat(diagnostics)
                .extracting(Diagnostic::summary)
                .containsExactly(
                        "Table public.nope does not exist in the source database",
                        "Table public.audit has no primary key");
        assertThat(diagnostics.get(0).detail())
                .contains("create it, or remove it from config.tables")
                .contains("(agent error code: not_found)");
        assertThat(diagnostics.get(1).detail()).contains("add a primary key").contains("no_primary_key");

        // A problem without the agent's message is read by its detail; a field outside the schema
        // (a header) points at no attribute, and the hint says what to send.
        List<Diagnostic> header = readingAnswered(415, "application/problem+json", """
                {"type":"https://foundrydb.com/problems/unsupported_media_type","title":"Body is not JSON",
                 "status":415,"detail":"Content-Type text/plain is not supported","code":"unsupported_media_type",
                 "field":"Content-Type","hint":"send Content-Type: application/json"}
                """);
        assertThat(header).singleElement().satisfies(d -> {
            assertThat(d.attribute()).isNull();
            assertThat(d.summary()).isEqualTo("Content-Type text/plain is not supported");
            assertThat(d.detail())
                    .isEqualTo("reading pipeline pl_1 (HTTP 415) send Content-Type: application/json"
                            + " (agent error code: unsupported_media_type)");
        });
    }

    @Test
    void aFieldBeyondTheSchemaPointsAtWhatExists() {
        List<Diagnostic> diagnostics = readingAnswered(422, "application/json", """
                {"code":"invalid","message":"compression is not supported","field":"config.compression"}
                """);
        assertThat(diagnostics)
                .singleElement()
                .satisfies(d -> assertThat(d.attribute()).isEqualTo(CtyPath.of("config")));
    }

    @Test
    void anAnswerThatIsNoErrorObjectIsQuoted() {
        List<Diagnostic> diagnostics = readingAnswered(503, "text/plain", "upstream connect error");
        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.attribute()).isNull();
            assertThat(d.summary()).isEqualTo("Upstream connect error");
            assertThat(d.detail()).isEqualTo("reading pipeline pl_1 (HTTP 503)");
        });
    }

    @Test
    void aRejectedTokenSaysWhereToSetIt() {
        AgentClient wrong = new AgentClient(agent.endpoint(), "wr0ng-t0ken", "test");
        List<Diagnostic> diagnostics =
                diagnosticsOf(() -> wrong.getPipeline("pl_1", true)).asList();
        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.summary()).isEqualTo("The FoundryDB agent rejected the provider's token");
            assertThat(d.detail())
                    .contains("HTTP 401")
                    .contains("missing or wrong bearer token")
                    .contains("FOUNDRYDB_TOKEN");
        });
    }

    @Test
    void noAgentSaysWhereTheProviderLooked() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AgentClient nowhere = new AgentClient(URI.create("http://127.0.0.1:" + port), "t0ken", "test");
        List<Diagnostic> diagnostics =
                diagnosticsOf(() -> nowhere.getPipeline("pl_1", true)).asList();
        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.summary()).isEqualTo("Cannot reach the FoundryDB agent");
            assertThat(d.detail()).contains("127.0.0.1:" + port).contains("FOUNDRYDB_ENDPOINT");
        });
    }
}
