package com.foundrydb.agent.pipeline;

import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.contract.TableList;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks that need nothing but the request and the service registry. Every problem is
 * reported at once, each with its field and fix; the live checks ({@link LiveValidator}) follow.
 */
public final class SpecValidator {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  /** Kafka topic characters; dots separate the prefix from schema and table. */
  static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  public static final int MAX_TABLES = TableList.MAX_TABLES;
  public static final List<String> SNAPSHOT_MODES = List.of("initial", "no_data", "when_needed", "always",
      "initial_only");
  public static final List<String> DESIRED_STATES = List.of("running", "stopped");

  private final ServiceRegistry services;

  public SpecValidator(ServiceRegistry services) {
    this.services = services;
  }

  public List<Problem> check(PipelineSpec spec) {
    List<Problem> p = new ArrayList<>();
    if (spec == null) {
      p.add(new Problem("invalid", "the request body is empty", null, "send the pipeline as a JSON object"));
      return p;
    }
    if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
      p.add(new Problem("invalid", "name must be 1-63 characters: letters, digits, '_', '.', '-', starting with a"
          + " letter or digit", "name", "for example \"orders-to-kafka\""));
    }
    if (!PipelineSpec.CDC_PG_TO_KAFKA.equals(spec.pipelineType())) {
      p.add(new Problem("invalid", "pipeline_type " + quoted(spec.pipelineType()) + " is not supported",
          "pipeline_type", "use \"cdc_pg_to_kafka\""));
    }
    if (services.source(spec.sourceServiceId()).isEmpty()) {
      p.add(new Problem("not_found", "source_service_id " + quoted(spec.sourceServiceId())
          + " is not a registered PostgreSQL service", "source_service_id",
          "list the services with GET /v1/services (or the foundrydb_service data source)"));
    }
    if (services.sink(spec.sinkServiceId()).isEmpty()) {
      p.add(new Problem("not_found", "sink_service_id " + quoted(spec.sinkServiceId())
          + " is not a registered Kafka service", "sink_service_id",
          "list the services with GET /v1/services (or the foundrydb_service data source)"));
    }
    if (spec.desiredState() != null && !DESIRED_STATES.contains(spec.desiredState())) {
      p.add(new Problem("invalid", "desired_state " + quoted(spec.desiredState()) + " is not one of "
          + DESIRED_STATES, "desired_state", "use \"running\" or \"stopped\""));
    }
    if (spec.config() == null) {
      p.add(new Problem("invalid", "config is missing", "config", "give config.tables and config.topic_prefix"));
      return p;
    }
    checkConfig(spec.config(), p);
    return p;
  }

  private static void checkConfig(PipelineSpec.Config c, List<Problem> p) {
    boolean prefixOk = c.topicPrefix() != null && c.topicPrefix().length() <= 200
        && TOPIC_PREFIX.matcher(c.topicPrefix()).matches();
    if (!prefixOk) {
      p.add(new Problem("invalid", "topic_prefix " + quoted(c.topicPrefix()) + " is not a valid Kafka topic prefix",
          "config.topic_prefix", "use 1-200 of the characters Kafka allows in topics (letters, digits, '_', '-'),"
          + " with single dots between parts, for example \"shop\""));
    }
    checkTables(c.tables(), prefixOk ? c.topicPrefix() : null, p);
    if (c.snapshotMode() != null && !SNAPSHOT_MODES.contains(c.snapshotMode())) {
      p.add(new Problem("invalid", "snapshot_mode " + quoted(c.snapshotMode()) + " is not one of " + SNAPSHOT_MODES,
          "config.snapshot_mode", "leave it out for \"when_needed\" (snapshot existing rows, then stream; snapshot again if the position is lost)"));
    }
  }

  /** The table list's rules ({@link TableList}), each problem with its field. */
  static void checkTables(List<String> tables, String prefix, List<Problem> p) {
    for (TableList.Problem t : TableList.check(tables, prefix)) {
      p.add(new Problem("invalid", t.message(), t.field(), t.hint()));
    }
  }

  static String quoted(String s) {
    return s == null ? "(missing)" : "\"" + s + "\"";
  }
}
