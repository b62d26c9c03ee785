package com.foundrydb.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.config.SourceService;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    private final SpecValidator validator = new SpecValidator(new ServiceRegistry(
            List.of(new SourceService("src", "pg", List.of(), "shop", "u", "p", null)),
            List.of(new SinkService("snk", "kafka", "b:9092", "http://c", "127.0.0.1/32", null))));

    private static PipelineSpec spec(String name, String prefix, String... tables) {
        return new PipelineSpec(
                name,
                "cdc_pg_to_kafka",
                "src",
                "snk",
                new PipelineSpec.Config(Arrays.asList(tables), prefix, null),
                null);
    }

    private List<String> fields(PipelineSpec s) {
        return validator.check(s).stream().map(Problem::field).toList();
    }

    @Test
    void aGoodSpecHasNoProblems() {
        assertThat(validator.check(spec("orders-to-kafka", "shop.events", "public.orders", "sales.Items_2")))
                .isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsField() {
        PipelineSpec bad = new PipelineSpec(
                "bad name",
                "etl",
                "nope",
                "nada",
                new PipelineSpec.Config(List.of("public.orders; drop table x", "x"), "a/b", "sometimes"),
                "paused");
        assertThat(fields(bad))
                .containsExactlyInAnyOrder(
                        "name",
                        "pipeline_type",
                        "source_service_id",
                        "sink_service_id",
                        "desired_state",
                        "config.topic_prefix",
                        "config.tables[0]",
                        "config.tables[1]",
                        "config.snapshot_mode");
    }

    @Test
    void tableNamesArePostgresNamesThatCanBeCaptured() {
        assertThat(fields(spec("n", "p", "\"we\"\"ird\".t", "public.\"Customer\"", "public.orders$")))
                .isEmpty();
        for (String t : List.of(
                "orders",
                "a.b.c",
                "public.",
                ".orders",
                "public.or-ders",
                "1public.orders",
                "pg_catalog.pg_class",
                "public.\"a,b\"")) {
            assertThat(fields(spec("n", "p", t))).as(t).containsExactly("config.tables[0]");
        }
        assertThat(fields(spec("n", "p", "public.orders", "public.orders"))).containsExactly("config.tables[1]");
        assertThat(fields(spec("n", "p"))).containsExactly("config.tables");
    }

    @Test
    void topicPrefixFollowsKafkasRules() {
        for (String p : List.of("", "a..b", ".a", "a.", "a b", "a/b", "x".repeat(201))) {
            assertThat(fields(spec("n", p, "public.orders"))).as(p).containsExactly("config.topic_prefix");
        }
        assertThat(fields(spec("n", "x".repeat(200), "public." + "t".repeat(60))))
                .containsExactly("config.tables[0]");
    }

    @Test
    void tenThousandTablesAreOneProblem() {
        String[] many = new String[10_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "public.t" + i;
        }
        assertThat(validator.check(spec("n", "p", many)))
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("at most " + SpecValidator.MAX_TABLES));
    }

    @Test
    void eachMissingRequiredFieldIsNamed() {
        PipelineSpec empty = new PipelineSpec(null, null, null, null, new PipelineSpec.Config(null, null, null), null);
        assertThat(fields(empty))
                .containsExactlyInAnyOrder(
                        "name",
                        "pipeline_type",
                        "source_service_id",
                        "sink_service_id",
                        "config.tables",
                        "config.topic_prefix");
        assertThat(fields(new PipelineSpec("n", "cdc_pg_to_kafka", "src", "snk", null, null)))
                .containsExactly("config");
    }

    @Test
    void aLongBadValueIsQuotedShort() {
        assertThat(validator.check(spec("x".repeat(100_000), "p", "public.orders")))
                .singleElement()
                .satisfies(p -> assertThat(p.message().length()).isLessThan(400));
    }
}
