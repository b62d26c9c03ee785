package com.foundrydb.agent.dev;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * What a dev stack keeps between starts: ports, generated secrets, where its clusters live. A second
 * start reads it back so that the same stack comes up with the same addresses and credentials.
 */
public final class DevState {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The two PostgreSQL nodes' ports; which node is the primary changes with each failover. */
  @JsonProperty("postgres_node_ports") public int[] postgresNodePorts;
  /** Index into postgres_node_ports of the node that is the primary now. */
  @JsonProperty("postgres_primary_node") public int postgresPrimaryNode;
  @JsonProperty("kafka_port") public int kafkaPort;
  @JsonProperty("kafka_controller_port") public int kafkaControllerPort;
  @JsonProperty("connect_port") public int connectPort;
  @JsonProperty("agent_port") public int agentPort;
  @JsonProperty("postgres_dir") public String postgresDir;
  @JsonProperty("admin_password") public String adminPassword;
  @JsonProperty("token") public String token;
  @JsonProperty("kafka_cluster_id") public String kafkaClusterId;

  public static DevState loadOrCreate(Path file, boolean ephemeralPorts) throws IOException {
    if (Files.exists(file)) {
      DevState s = JSON.readValue(file.toFile(), DevState.class);
      if (s.postgresNodePorts == null || s.postgresNodePorts.length != 2) {
        throw new IOException(file + " was written by an older foundrydb-agent whose PostgreSQL layout this one"
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

  public void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
