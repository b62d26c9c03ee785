package com.foundrydb.agent.dev;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

/**
 * A Kafka Connect distributed worker. It starts with an empty plugin path (pipelines install the
 * Debezium plugin, as on a real sink) and reads secrets through FileConfigProvider, confined to
 * its secrets directory, so connector configs carry references instead of passwords.
 */
public final class ConnectWorker {
  private final Path dir;
  private final int port;
  private final String bootstrapServers;
  private final KafkaRuntime runtime;
  private final ManagedProcess process;

  public ConnectWorker(Path dir, int port, String bootstrapServers, KafkaRuntime runtime, Path pidFile) {
    this.dir = dir;
    this.port = port;
    this.bootstrapServers = bootstrapServers;
    this.runtime = runtime;
    this.process = new ManagedProcess("kafka connect", pidFile);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public Path pluginPath() {
    return dir.resolve("plugins");
  }

  public Path secretsDir() {
    return dir.resolve("secrets");
  }

  public long pid() {
    return process.alive().map(ProcessHandle::pid).orElse(-1L);
  }

  public boolean running() {
    return process.alive().isPresent();
  }

  public void start(Duration timeout) throws IOException, InterruptedException {
    if (running()) {
      return;
    }
    Files.createDirectories(pluginPath());
    Files.createDirectories(secretsDir());
    // Credentials for FileConfigProvider: the worker's user only.
    Files.setPosixFilePermissions(secretsDir(), PosixFilePermissions.fromString("rwx------"));
    Path props = dir.resolve("connect.properties");
    Path log4j2 = dir.resolve("log4j2.properties");
    KafkaRuntime.writeLog4j2(log4j2);
    Files.writeString(props, """
        bootstrap.servers=%s
        group.id=foundrydb-dev-connect
        config.storage.topic=foundrydb-connect-configs
        offset.storage.topic=foundrydb-connect-offsets
        status.storage.topic=foundrydb-connect-status
        config.storage.replication.factor=1
        offset.storage.replication.factor=1
        status.storage.replication.factor=1
        offset.storage.partitions=1
        status.storage.partitions=1
        key.converter=org.apache.kafka.connect.json.JsonConverter
        value.converter=org.apache.kafka.connect.json.JsonConverter
        listeners=http://127.0.0.1:%d
        rest.advertised.host.name=127.0.0.1
        rest.advertised.port=%d
        plugin.path=%s
        plugin.discovery=service_load
        offset.flush.interval.ms=1000
        connector.client.config.override.policy=All
        scheduled.rebalance.max.delay.ms=0
        config.providers=file
        config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
        config.providers.file.param.allowed.paths=%s
        """.formatted(bootstrapServers, port, port, pluginPath(), secretsDir()));
    Path log = log();
    process.start(runtime.jvm("768m", log4j2, "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()),
        Map.of(), dir, log);
    awaitRest(timeout, log);
  }

  public void stop() throws IOException {
    process.stop(Duration.ofSeconds(30));
  }

  /** SIGKILL, as a crash (fault drills). */
  public void kill9() {
    process.kill9();
  }

  /** SIGSTOP: the worker hangs, its sockets open, until {@link #resume} (fault drills). */
  public void pause() throws IOException, InterruptedException {
    process.pause();
  }

  public void resume() throws IOException, InterruptedException {
    process.resume();
  }

  /** What a plugin install needs: the worker down and up again, answering REST. */
  public void restart(Duration timeout) throws IOException, InterruptedException {
    stop();
    start(timeout);
  }

  /** The worker's log (Connect's and the connectors' log lines). */
  public Path log() {
    return dir.resolve("connect.log");
  }

  private void awaitRest(Duration timeout, Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url() + "/connectors")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // the REST server is not listening yet
      }
      if (!running()) {
        throw new IOException("kafka connect exited during start; see " + log);
      }
      Thread.sleep(100);
    }
    throw new IOException("kafka connect not ready after " + timeout.toSeconds() + " s; see " + log);
  }
}
