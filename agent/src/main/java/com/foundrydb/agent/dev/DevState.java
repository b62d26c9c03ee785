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
import java.util.HexFormat;

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
    s.postgresNodePorts = new int[] {port(55432, ephemeralPorts), port(55433, ephemeralPorts)};
    s.postgresPrimaryNode = 0;
    s.kafkaPort = port(39092, ephemeralPorts);
    s.kafkaControllerPort = port(39093, ephemeralPorts);
    s.connectPort = port(38083, ephemeralPorts);
    s.agentPort = port(8686, ephemeralPorts);
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

  /** The well-known port when free, else one the kernel picks (tests always let the kernel pick). */
  private static int port(int preferred, boolean ephemeral) throws IOException {
    if (!ephemeral) {
      try (ServerSocket s = new ServerSocket(preferred, 1, java.net.InetAddress.getLoopbackAddress())) {
        return preferred;
      } catch (IOException busy) {
        // fall through to a free one
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
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
