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
    return new PipelineSpec(name, "cdc_pg_to_kafka", "src", "snk",
        new PipelineSpec.Config(Arrays.asList(tables), prefix, null), null);
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
    PipelineSpec bad = new PipelineSpec("bad name", "etl", "nope", "nada",
        new PipelineSpec.Config(List.of("public.orders; drop table x", "x"), "a/b", "sometimes"), "paused");
    assertThat(fields(bad)).containsExactlyInAnyOrder("name", "pipeline_type", "source_service_id",
        "sink_service_id", "desired_state", "config.topic_prefix", "config.tables[0]", "config.tables[1]",
        "config.snapshot_mode");
  }

  @Test
  void tableNamesMustBePlainSchemaDotTable() {
    for (String t : List.of("orders", "a.b.c", "\"we\"\"ird\".t", "public.", ".orders", "public.or-ders",
        "public.orders$", "1public.orders")) {
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
    assertThat(fields(spec("n", "x".repeat(200), "public." + "t".repeat(60)))).containsExactly("config.tables[0]");
  }
}
