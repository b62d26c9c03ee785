package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract check itself: it accepts what the spec documents and names what it does not. */
class OpenApiContractTest {
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";
    private static final String NOT_FOUND = """
      {"type":"https://foundrydb.com/problems/not_found","title":"Not found","status":404,
       "detail":"no pipeline pl_x","code":"not_found","message":"no pipeline pl_x","field":"id",
       "hint":"list pipelines",
       "problems":[{"code":"not_found","message":"no pipeline pl_x","field":"id","hint":"list pipelines"}]}
      """;
    private final OpenApiContract contract;

    OpenApiContractTest() throws Exception {
        contract = OpenApiContract.load();
    }

    @Test
    void findsOperationsByPath() {
        assertThat(contract.operation("POST", "/v1/pipelines/validate")
                        .orElseThrow()
                        .operationId())
                .isEqualTo("validatePipeline");
        assertThat(contract.operation("GET", "/v1/pipelines/pl_1?live=true")
                        .orElseThrow()
                        .operationId())
                .isEqualTo("getPipeline");
        assertThat(contract.operation("GET", "/v1/services/svc_a/tables")
                        .orElseThrow()
                        .operationId())
                .isEqualTo("listSourceTables");
        assertThat(contract.operation("PUT", "/v1/pipelines/pl_1")).isEmpty();
    }

    @Test
    void acceptsADocumentedAnswer() throws Exception {
        assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 404, PROBLEM, NOT_FOUND))
                .isEmpty();
        assertThat(contract.problems(
                        "GET",
                        "/v1/services",
                        200,
                        JSON + "; charset=utf-8",
                        "{\"services\":[{\"id\":\"a\"," + "\"name\":\"b\",\"kind\":\"kafka\",\"managed\":true}]}"))
                .isEmpty();
        String internal = """
        {"type":"https://foundrydb.com/problems/internal","title":"The agent failed","status":500,
         "detail":"the agent failed to answer (incident 0a1b2c3d4e5f)","instance":"urn:foundrydb:incident:0a1b2c3d4e5f",
         "code":"internal","message":"the agent failed to answer (incident 0a1b2c3d4e5f)","field":null,
         "hint":"retry","problems":[{"code":"internal","message":"m","field":null,"hint":"retry"}]}
        """;
        assertThat(contract.problems("GET", "/v1/pipelines", 500, PROBLEM, internal))
                .isEmpty();
        assertThat(contract.problems("POST", "/v1/pipelines", 415, PROBLEM, NOT_FOUND.replace("404", "415")))
                .as("415 is documented for a create")
                .isEmpty();
        assertThat(contract.problems("PATCH", "/v1/pipelines/pl_1", 415, PROBLEM, NOT_FOUND.replace("404", "415")))
                .as("and for a change")
                .isEmpty();
        assertThat(contract.problems("GET", "/metrics", 200, "text/plain; version=0.0.4", "up 1\n"))
                .isEmpty();
    }

    @Test
    void namesWhatTheSpecDoesNotDocument() throws Exception {
        assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 418, PROBLEM, "{}"))
                .singleElement()
                .asString()
                .contains("418 is not documented");
        assertThat(contract.problems(
                        "GET",
                        "/v1/services",
                        200,
                        JSON,
                        "{\"services\":[{\"id\":\"a\",\"name\":\"b\"," + "\"kind\":\"mysql\"}]}"))
                .singleElement()
                .asString()
                .contains("kind");
        assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 404, JSON, NOT_FOUND))
                .singleElement()
                .asString()
                .contains("Content-Type application/json is not documented")
                .contains(PROBLEM);
        assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 404, null, NOT_FOUND))
                .singleElement()
                .asString()
                .contains("Content-Type null is not documented");
        String beforeProblems = """
        {"code":"not_found","message":"no pipeline pl_x","field":null,"hint":"list pipelines",
         "problems":[{"code":"not_found","message":"no pipeline pl_x","field":null,"hint":"list pipelines"}]}
        """;
        assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 404, PROBLEM, beforeProblems))
                .as("no type, title," + " status or detail")
                .hasSize(4);
        assertThat(contract.problems(
                        "GET",
                        "/v1/pipelines/pl_x",
                        404,
                        PROBLEM,
                        NOT_FOUND.replace("\"status\":404", "\"status\":\"404\"")))
                .singleElement()
                .asString()
                .contains("status");
        assertThat(contract.problems(
                        "GET", "/v1/pipelines/pl_x", 404, PROBLEM, "{\"code\":\"not_found\",\"message\":" + "\"m\"}"))
                .isNotEmpty(); // field, hint and problems are required
        assertThat(contract.problems("GET", "/v1/nothing", 200, JSON, "{}"))
                .singleElement()
                .asString()
                .contains("not in the spec");
    }
}
