package com.foundrydb.agent.dev;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.foundrydb.agent.PrivateFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What a dev stack keeps between starts: ports, generated secrets, where its clusters live. A second
 * start reads it back so that the same stack comes up with the same addresses and credentials.
 */
public final class DevState {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The two PostgreSQL nodes' ports; which node is the primary changes with each failover. */
    @JsonProperty("postgres_node_ports")
    public int[] postgresNodePorts;
    /** Index into postgres_node_ports of the node that is the primary now. */
    @JsonProperty("postgres_primary_node")
    public int postgresPrimaryNode;

    @JsonProperty("kafka_port")
    public int kafkaPort;

    @JsonProperty("kafka_controller_port")
    public int kafkaControllerPort;
    /** The first Connect worker's REST port; the others' follow in additional_connect_ports. */
    @JsonProperty("connect_port")
    public int connectPort;

    @JsonProperty("additional_connect_ports")
    public int[] additionalConnectPorts = new int[0];
    /** The first agent's API port; the others' follow in additional_agent_ports. */
    @JsonProperty("agent_port")
    public int agentPort;

    @JsonProperty("additional_agent_ports")
    public int[] additionalAgentPorts = new int[0];

    @JsonProperty("postgres_dir")
    public String postgresDir;

    @JsonProperty("admin_password")
    public String adminPassword;

    @JsonProperty("token")
    public String token;

    @JsonProperty("kafka_cluster_id")
    public String kafkaClusterId;

    public static DevState loadOrCreate(Path file, boolean ephemeralPorts) throws IOException {
        if (Files.exists(file)) {
            DevState s = JSON.readValue(file.toFile(), DevState.class);
            if (s.additionalConnectPorts == null) {
                s.additionalConnectPorts = new int[0];
            }
            if (s.additionalAgentPorts == null) {
                s.additionalAgentPorts = new int[0];
            }
            if (s.postgresNodePorts == null || s.postgresNodePorts.length != 2) {
                throw new IOException(
                        file + " was written by an older foundrydb-agent whose PostgreSQL layout this one"
                                + " cannot read: delete that dev home (and the directory named in its postgres.location, if any)");
            }
            return s;
        }
        DevState s = new DevState();
        Set<Integer> taken = new HashSet<>();
        s.postgresNodePorts = new int[] {port(55432, ephemeralPorts, taken), port(55433, ephemeralPorts, taken)};
        s.postgresPrimaryNode = 0;
        s.kafkaPort = port(39092, ephemeralPorts, taken);
        s.kafkaControllerPort = port(39093, ephemeralPorts, taken);
        s.connectPort = port(38083, ephemeralPorts, taken);
        s.agentPort = port(8686, ephemeralPorts, taken);
        s.adminPassword = secret(18);
        s.token = "fdb_" + secret(24);
        s.kafkaClusterId = kafkaClusterId();
        return s;
    }

    /** Every Connect worker's REST port, worker 1 first. */
    @JsonIgnore
    public List<Integer> connectPorts() {
        return IntStream.concat(IntStream.of(connectPort), Arrays.stream(additionalConnectPorts))
                .boxed()
                .toList();
    }

    /** Every agent's API port, agent 1 first. */
    @JsonIgnore
    public List<Integer> agentPorts() {
        return IntStream.concat(IntStream.of(agentPort), Arrays.stream(additionalAgentPorts))
                .boxed()
                .toList();
    }

    /**
     * Gives the stack this many Connect workers and agents: new ones get ports (kept for later
     * starts), dropped ones give theirs up. True if anything changed.
     */
    public boolean resize(int workers, int agents, boolean ephemeral) throws IOException {
        if (workers < 1 || agents < 1) {
            throw new IllegalArgumentException("a dev stack needs at least one Connect worker and one agent");
        }
        int[] moreWorkers = more(additionalConnectPorts, workers - 1, 38084, ephemeral);
        int[] moreAgents = more(additionalAgentPorts, agents - 1, 8687, ephemeral);
        boolean changed =
                !Arrays.equals(moreWorkers, additionalConnectPorts) || !Arrays.equals(moreAgents, additionalAgentPorts);
        additionalConnectPorts = moreWorkers;
        additionalAgentPorts = moreAgents;
        return changed;
    }

    private int[] more(int[] have, int want, int preferredFrom, boolean ephemeral) throws IOException {
        if (have.length >= want) {
            return Arrays.copyOf(have, want);
        }
        Set<Integer> taken = new HashSet<>(taken());
        List<Integer> ports = new ArrayList<>(Arrays.stream(have).boxed().toList());
        for (int i = have.length; i < want; i++) {
            ports.add(port(preferredFrom + i, ephemeral, taken));
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every port this stack uses. */
    @JsonIgnore
    public Set<Integer> taken() {
        Set<Integer> all = new HashSet<>(connectPorts());
        all.addAll(agentPorts());
        Arrays.stream(postgresNodePorts).forEach(all::add);
        all.add(kafkaPort);
        all.add(kafkaControllerPort);
        return all;
    }

    public void save(Path file) throws IOException {
        PrivateFiles.write(file, JSON.writeValueAsBytes(this));
    }

    /**
     * The well-known port when free, else a free one below the kernel's ephemeral range (tests always
     * take one of those). A port the kernel hands out for listening comes from the same range as the
     * local ports of outgoing connections, so between this choice and the listener's start a Kafka or
     * JDBC client could take it; below 32768 none will.
     */
    private static int port(int preferred, boolean ephemeral, Set<Integer> taken) throws IOException {
        int port = !ephemeral && free(preferred) ? preferred : freePort(taken);
        taken.add(port);
        return port;
    }

    /** A port free now, below the ephemeral range and not among those already taken. */
    public static int freePort(Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20000 + RANDOM.nextInt(12000);
            if (!taken.contains(candidate) && free(candidate)) {
                return candidate;
            }
        }
        throw new IOException("no free port found between 20000 and 32000");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException busy) {
            return false;
        }
    }

    static String secret(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Kafka's cluster id form: 16 random bytes, URL-safe base64 without padding, not starting with '-'. */
    static String kafkaClusterId() {
        while (true) {
            byte[] b = new byte[16];
            RANDOM.nextBytes(b);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }
}
