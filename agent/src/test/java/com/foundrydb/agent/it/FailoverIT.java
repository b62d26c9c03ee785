package com.foundrydb.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The source's primary fails (stopped as if it crashed), the standby is promoted, the old primary
 * comes back as the new standby (foundrydb-agent dev failover). The agent notices the new
 * primary, re-points the connector, Debezium makes its slot there and snapshots again because
 * its position is gone: every row committed and replicated before the failover arrives, and so
 * does every row inserted after it; duplicates are allowed (at-least-once) and reported.
 */
@ExtendWith(TestStack.class)
class FailoverIT {
  private final TestStack s = TestStack.get();

  @Test
  void rowsSurviveAFailoverOfTheSource() throws Exception {
    try (Connection c = s.primary("shop"); Statement st = c.createStatement()) {
      st.execute("create table public.failover_items (id bigint primary key, note text not null)");
      st.execute("insert into public.failover_items select g, 'before' from generate_series(1, 200) g");
    }
    String id = s.api().create(Api.spec("failover", "[\"public.failover_items\"]", "fo"));
    s.api().awaitRunning(id);
    String topic = "fo.public.failover_items";
    assertThat(TopicReader.countByField(s.bootstrapServers(), topic, "id", ids(1, 200), Duration.ofSeconds(60)))
        .as("snapshot of the first 200 rows").containsKeys(ids(1, 200).toArray(Long[]::new));

    // Streamed rows, then wait until the standby has replayed them: these are "committed and replicated".
    insert(201, 300, "streamed");
    awaitOnStandby(300);
    int oldPrimary = s.stack().primary().port();

    long failoverStart = System.nanoTime();
    s.stack().failover();
    int newPrimary = s.stack().primary().port();
    assertThat(newPrimary).isNotEqualTo(oldPrimary);
    insert(301, 400, "after-failover");

    Api.Response live = s.api().awaitPipeline(id, r -> {
      JsonNode st = r.body().path("status");
      return st.path("streaming_host").asText().equals("127.0.0.1:" + newPrimary)
          && "RUNNING".equals(st.path("connector_state").asText())
          && st.path("task_states").toString().equals("[\"RUNNING\"]")
          && "running".equals(st.path("phase").asText());
    }, Duration.ofSeconds(120), true);
    long toRunning = (System.nanoTime() - failoverStart) / 1_000_000;
    assertThat(live.body().path("status").path("primary_host").asText()).isEqualTo("127.0.0.1:" + newPrimary);

    Map<Long, Integer> counts = TopicReader.countByField(s.bootstrapServers(), topic, "id", ids(1, 400),
        Duration.ofSeconds(120));
    long toAllRows = (System.nanoTime() - failoverStart) / 1_000_000;
    Set<Long> missing = new TreeSet<>(ids(1, 400));
    missing.removeAll(counts.keySet());
    long duplicates = counts.values().stream().mapToLong(n -> n - 1).sum();
    System.out.printf("FAILOVER figures: failover start -> connector RUNNING on the new primary %d ms,"
        + " -> all 400 rows on Kafka %d ms; %d duplicate records (%s)%n", toRunning, toAllRows, duplicates,
        counts.entrySet().stream().filter(e -> e.getValue() > 1).count() + " rows delivered more than once");
    assertThat(missing).as("rows committed before or after the failover that never arrived").isEmpty();

    try (Connection c = s.primary("shop"); PreparedStatement st = c.prepareStatement(
        "select count(*) from pg_replication_slots where slot_name = ?")) {
      st.setString(1, "foundrydb_" + id.substring(3));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("the slot Debezium made on the new primary").isEqualTo(1);
      }
    }
    PasswordCheck.assertNeverShown(s, id);
    s.api().deleteAndAwaitGone(id);
    assertThat(Residue.of(s, id)).isEmpty();
  }

  /**
   * snapshot_mode = "initial" never snapshots again, so after a failover Debezium has no way to
   * fill the gap: the pipeline must fail loudly and say why, rather than stream on with a hole.
   */
  @Test
  void initialSnapshotModeFailsLoudlyAfterAFailover() throws Exception {
    try (Connection c = s.primary("shop"); Statement st = c.createStatement()) {
      st.execute("create table public.failover_strict (id bigint primary key)");
      st.execute("insert into public.failover_strict select generate_series(1, 10)");
    }
    String id = s.api().create("""
        {"name":"failover-strict","pipeline_type":"cdc_pg_to_kafka","source_service_id":"svc_shop_postgres",
         "sink_service_id":"svc_events_kafka","config":{"tables":["public.failover_strict"],"topic_prefix":"fos",
         "snapshot_mode":"initial"}}
        """);
    s.api().awaitRunning(id);
    TopicReader.awaitPayload(s.bootstrapServers(), "fos.public.failover_strict",
        p -> p.path("after").path("id").asLong() == 10, Duration.ofSeconds(60));
    s.stack().failover();
    Api.Response failed = s.api().awaitPipeline(id,
        r -> "failed".equals(r.body().path("status").path("phase").asText()), Duration.ofSeconds(120), true);
    assertThat(failed.body().path("status").path("last_error").asText())
        .contains("no longer available").contains("snapshot_mode");
    s.api().deleteAndAwaitGone(id);
    assertThat(Residue.of(s, id)).isEmpty();
  }

  private static Set<Long> ids(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
  }

  private void insert(long from, long to, String note) throws Exception {
    try (Connection c = s.primary("shop"); PreparedStatement st = c.prepareStatement(
        "insert into public.failover_items select g, ? from generate_series(?::bigint, ?::bigint) g")) {
      st.setString(1, note);
      st.setLong(2, from);
      st.setLong(3, to);
      st.execute();
    }
  }

  private void awaitOnStandby(int rows) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = s.replica("shop"); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("select count(*) from public.failover_items")) {
        rs.next();
        if (rs.getInt(1) == rows) {
          return;
        }
      } catch (java.sql.SQLException notYet) {
        // the table itself may not have been replayed yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the standby did not replay " + rows + " rows within 30 s");
  }
}
