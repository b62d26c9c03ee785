package com.foundrydb.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineFieldsTest {

    @Test
    void onlyTheTablesAndTheDesiredStateChangeInPlace() {
        assertThat(PipelineFields.inPlace()).extracting(Field::path).containsExactly("desired_state", "config.tables");
        assertThat(PipelineFields.replacing())
                .extracting(Field::path)
                .containsExactly(
                        "name",
                        "pipeline_type",
                        "source_service_id",
                        "sink_service_id",
                        "config.topic_prefix",
                        "config.snapshot_mode");
    }

    @Test
    void theFieldsOfEachObject() {
        assertThat(PipelineFields.in(""))
                .extracting(Field::name)
                .containsExactly(
                        "name", "pipeline_type", "source_service_id", "sink_service_id", "desired_state", "config");
        assertThat(PipelineFields.in("config"))
                .extracting(Field::name)
                .containsExactly("tables", "topic_prefix", "snapshot_mode");
    }

    /** The prose says what the rules say: each default, each allowed value, each limit. */
    @Test
    void eachDescriptionStatesTheFieldsRules() {
        for (Field f : PipelineFields.ALL) {
            assertThat(f.description()).as(f.path()).isNotBlank().doesNotContain("\n");
            f.defaultValue()
                    .ifPresent(d -> assertThat(f.description()).as(f.path()).contains("`" + d + "` (default)"));
            f.allowed().forEach(v -> assertThat(f.description()).as(f.path()).contains("`" + v + "`"));
            f.maxLength()
                    .ifPresent(n -> assertThat(f.description()).as(f.path()).contains(String.valueOf(n)));
            f.maxItems().ifPresent(n -> assertThat(f.description()).as(f.path()).contains("at most " + n));
            f.minItems().ifPresent(n -> assertThat(f.description()).as(f.path()).contains("At least " + n));
        }
    }

    @Test
    void enumsAreWrittenAsTheApiWritesThem() {
        assertThat(PipelineFields.SNAPSHOT_MODE.allowed())
                .containsExactly("initial", "no_data", "when_needed", "always", "initial_only");
        assertThat(PipelineFields.DESIRED_STATE.allowed()).containsExactly("running", "stopped");
        assertThat(PipelineFields.PIPELINE_TYPE.allowed()).containsExactly("cdc_pg_to_kafka");
        assertThat(WireValue.values(Phase.class))
                .containsExactly("pending", "provisioning", "running", "stopped", "failed", "deleting");
        assertThat(SnapshotMode.parse("when_needed")).isEqualTo(SnapshotMode.WHEN_NEEDED);
        assertThat(WireValue.of(DesiredState.class, "RUNNING")).isEmpty();
        assertThat(Phase.settled(DesiredState.STOPPED)).isEqualTo(Phase.STOPPED);
    }

    @Test
    void violationsSayWhatIsWrong() {
        assertThat(PipelineFields.NAME.violation("orders-to-kafka")).isEmpty();
        assertThat(PipelineFields.NAME.violation("n".repeat(63))).isEmpty();
        for (String bad : List.of("-lead", "has space", "n".repeat(64), "cor\u0007pus", "é")) {
            assertThat(PipelineFields.NAME.violation(bad)).as(bad).isPresent();
        }
        assertThat(PipelineFields.TOPIC_PREFIX.violation("shop.cdc")).isEmpty();
        for (String bad : List.of("a/b", "a..b", ".a", "a.", "x".repeat(201), " ")) {
            assertThat(PipelineFields.TOPIC_PREFIX.violation(bad)).as(bad).isPresent();
        }
        assertThat(PipelineFields.SNAPSHOT_MODE.violation("sometimes"))
                .hasValueSatisfying(v -> assertThat(v).contains("initial_only"));
        assertThat(PipelineFields.SOURCE_SERVICE_ID.violation(" ")).hasValue("is empty");
    }
}
