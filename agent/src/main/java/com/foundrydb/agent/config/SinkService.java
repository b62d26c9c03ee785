package com.foundrydb.agent.config;

import java.util.List;

/**
 * A Kafka sink: the brokers, the Connect cluster's REST URL, the CIDR its workers connect from
 * (pipelines open pg_hba to exactly that), and, when the sink is managed, how to reach its workers.
 */
public record SinkService(String id, String name, String bootstrapServers, String connectUrl, String workerCidr,
    Workers workers) {

  /**
   * Access to the workers' filesystem and lifecycle.
   *
   * @param pluginPath the workers' plugin.path, where the connector plugin is unpacked
   * @param pluginArchive the Debezium PostgreSQL plugin archive to unpack there
   * @param secretsDir a directory the workers' FileConfigProvider may read: pipeline credentials
   * @param restartCommand argv that restarts every worker and returns once they are up
   * @param devHome the home of a dev stack whose worker the agent restarts itself
   */
  public record Workers(String pluginPath, String pluginArchive, String secretsDir, List<String> restartCommand,
      String devHome) {
  }
}
