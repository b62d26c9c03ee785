package com.foundrydb.agent.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevStateTest {
    @TempDir
    Path dir;

    @Test
    void aHomeOfOneWorkerAndOneAgentReadsAsSuch() throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(file, """
        {"postgres_node_ports":[55432,55433],"postgres_primary_node":0,"kafka_port":39092,
         "kafka_controller_port":39093,"connect_port":38083,"agent_port":8686,"postgres_dir":"/x",
         "admin_password":"pw","token":"fdb_t","kafka_cluster_id":"id"}
        """);
        DevState s = DevState.loadOrCreate(file, true);
        assertThat(s.connectPorts()).containsExactly(38083);
        assertThat(s.agentPorts()).containsExactly(8686);
    }

    @Test
    void moreWorkersAndAgentsGetPortsOfTheirOwnAndKeepThem() throws Exception {
        Path file = dir.resolve("state.json");
        DevState s = DevState.loadOrCreate(file, true);
        assertThat(s.resize(3, 2, true)).isTrue();
        assertThat(s.connectPorts()).hasSize(3);
        assertThat(s.agentPorts()).hasSize(2);
        List<Integer> all = new java.util.ArrayList<>(s.connectPorts());
        all.addAll(s.agentPorts());
        all.addAll(List.of(s.kafkaPort, s.kafkaControllerPort, s.postgresNodePorts[0], s.postgresNodePorts[1]));
        assertThat(new HashSet<>(all)).as("no port used twice").hasSize(all.size());
        s.save(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        DevState again = DevState.loadOrCreate(file, true);
        assertThat(again.connectPorts()).isEqualTo(s.connectPorts());
        assertThat(again.resize(3, 2, true)).as("the same size is no change").isFalse();
        assertThat(again.resize(1, 2, true)).isTrue();
        assertThat(again.connectPorts()).containsExactly(s.connectPort);
    }
}
