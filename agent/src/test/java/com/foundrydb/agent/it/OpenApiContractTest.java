package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract check itself: it accepts what the spec documents and names what it does not. */
class OpenApiContractTest {
  private final OpenApiContract contract;

  OpenApiContractTest() throws Exception {
    contract = OpenApiContract.load();
  }

  @Test
  void findsOperationsByPath() {
    assertThat(contract.operation("POST", "/v1/pipelines/validate").orElseThrow().operationId())
        .isEqualTo("validatePipeline");
    assertThat(contract.operation("GET", "/v1/pipelines/pl_1?live=true").orElseThrow().operationId())
        .isEqualTo("getPipeline");
    assertThat(contract.operation("GET", "/v1/services/svc_a/tables").orElseThrow().operationId())
        .isEqualTo("listSourceTables");
    assertThat(contract.operation("PUT", "/v1/pipelines/pl_1")).isEmpty();
  }

  @Test
  void acceptsADocumentedAnswer() throws Exception {
    String error = """
        {"code":"not_found","message":"no pipeline pl_x","field":null,"hint":"list pipelines",
         "problems":[{"code":"not_found","message":"no pipeline pl_x","field":null,"hint":"list pipelines"}]}
        """;
    assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 404, error)).isEmpty();
    assertThat(contract.problems("GET", "/v1/services", 200, "{\"services\":[{\"id\":\"a\",\"name\":\"b\","
        + "\"kind\":\"kafka\",\"managed\":true}]}")).isEmpty();
  }

  @Test
  void namesWhatTheSpecDoesNotDocument() throws Exception {
    assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 418, "{}")).singleElement().asString()
        .contains("418 is not documented");
    assertThat(contract.problems("GET", "/v1/services", 200, "{\"services\":[{\"id\":\"a\",\"name\":\"b\","
        + "\"kind\":\"mysql\"}]}")).singleElement().asString().contains("kind");
    assertThat(contract.problems("GET", "/v1/pipelines/pl_x", 404, "{\"code\":\"not_found\",\"message\":\"m\"}"))
        .isNotEmpty(); // field, hint and problems are required
    assertThat(contract.problems("GET", "/v1/nothing", 200, "{}")).singleElement().asString()
        .contains("not in the spec");
  }
}
