package com.foundrydb.agent.it.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.it.Api;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusSamplerTest {
    private static JsonNode status(String json) throws Exception {
        return Api.JSON.readTree(json);
    }

    @Test
    void aPipelineAtWorkIsHealthyAndSaysSo() throws Exception {
        JsonNode s = status("""
        {"phase":"running","connector_state":"RUNNING","task_states":["RUNNING"],"connector_error":null,
         "last_error":null,"observe_errors":[]}""");
        assertThat(StatusSampler.healthy(s)).isTrue();
        assertThat(StatusSampler.describe(s)).isEqualTo("running, connector RUNNING, tasks [RUNNING]");
    }

    @Test
    void aFailedTaskAnErrorOrAPartNotObservedIsNotHealthy() throws Exception {
        JsonNode failed = status("""
        {"phase":"running","connector_state":"RUNNING","task_states":["FAILED"],
         "connector_error":"org.apache.kafka.connect.errors.ConnectException: An exception occurred in the change event producer. This connector will be stopped.",
         "last_error":null,"observe_errors":[]}""");
        assertThat(StatusSampler.healthy(failed)).isFalse();
        String error = "connector error: ";
        String described = StatusSampler.describe(failed);
        assertThat(described)
                .startsWith("running, connector RUNNING, tasks [FAILED], " + error
                        + "org.apache.kafka.connect.errors.ConnectException");
        assertThat(described.substring(described.indexOf(error) + error.length()))
                .as("the error, cut to 100")
                .hasSize(100)
                .endsWith("…");
        JsonNode hung = status("""
        {"phase":"running","connector_state":null,"task_states":[],"observe_errors":
         ["connect: Kafka Connect GET /connectors/x/status did not answer within 5 s","127.0.0.1:5433: refused"]}""");
        assertThat(StatusSampler.healthy(hung)).isFalse();
        assertThat(StatusSampler.describe(hung))
                .isEqualTo("running, connector ?, tasks [], not observed: connect pg_hba");
    }

    @Test
    void positionsAndPidsDoNotMakeOneConditionManyStates() {
        assertThat(StatusSampler.shorten("slot at 0/31E5B60 held by pid 1234567\nat io.debezium..."))
                .isEqualTo("slot at … held by pid …");
        assertThat(StatusSampler.shorten("Connection is not available, request timed out after 10021ms"))
                .isEqualTo(StatusSampler.shorten("Connection is not available, request timed out after 10000ms"));
    }

    @Test
    void theHealthyStreakCountsTheLatestReadingsSinceAMoment() {
        List<StatusSampler.Sample> samples = List.of(
                new StatusSampler.Sample(1, "ok", true),
                new StatusSampler.Sample(2, "down", false),
                new StatusSampler.Sample(3, "ok", true),
                new StatusSampler.Sample(4, "ok", true));
        assertThat(StatusSampler.healthyStreak(samples, 0)).isEqualTo(2);
        assertThat(StatusSampler.healthyStreak(samples, 4)).isEqualTo(1);
        assertThat(StatusSampler.healthyStreak(samples.subList(0, 2), 0)).isZero();
    }
}
