package com.foundrydb.agent.plan;

import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.PluginInstaller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Debezium PostgreSQL plugin on the sink's workers. On a managed sink a missing plugin is
 * unpacked into the plugin path and the workers restarted; the plugin is shared, so remove leaves it.
 */
public final class ConnectorPluginStep implements Step {
  private static final Object INSTALL = new Object();
  private static final Duration LISTED_TIMEOUT = Duration.ofSeconds(90);

  @Override
  public String name() {
    return "connector_plugin";
  }

  @Override
  public Observation observe(StepContext ctx) throws Exception {
    boolean listed = ctx.connect().pluginClasses().contains(ConnectorConfig.CONNECTOR_CLASS);
    return Observation.of(listed, listed, listed ? "installed" : "not installed");
  }

  @Override
  public void ensure(StepContext ctx) throws Exception {
    synchronized (INSTALL) { // pipelines created together install once
      if (observe(ctx).exists()) {
        return;
      }
      var workers = ctx.sink().workers();
      if (workers == null || workers.pluginPath() == null || workers.pluginArchive() == null) {
        throw StepFailure.needsFix("the workers of sink " + ctx.sink().name() + " lack the Debezium PostgreSQL connector"
            + " plugin and the sink is not managed: install io.debezium:debezium-connector-postgres (plugin archive)"
            + " on every worker, or give the sink workers.plugin_path and workers.plugin_archive");
      }
      if (!Files.isRegularFile(Path.of(workers.pluginArchive()))) {
        throw StepFailure.needsFix("connector plugin archive not found at " + workers.pluginArchive() + ": point"
            + " workers.plugin_archive of sink " + ctx.sink().name() + " at the Debezium PostgreSQL plugin archive"
            + " (.tar.gz) and restart the agent");
      }
      PluginInstaller.install(Path.of(workers.pluginArchive()), Path.of(workers.pluginPath()));
      ctx.workers().restart();
      long deadline = System.nanoTime() + LISTED_TIMEOUT.toNanos();
      while (!observe(ctx).exists()) {
        if (System.nanoTime() > deadline) {
          throw new StepFailure("the workers of sink " + ctx.sink().name() + " still do not list "
              + ConnectorConfig.CONNECTOR_CLASS + " after unpacking the plugin into " + workers.pluginPath()
              + " and restarting them: check plugin.path in the worker configuration");
        }
        Thread.sleep(250);
      }
    }
  }

  @Override
  public void remove(StepContext ctx) {
    // Shared by every pipeline of the sink: left in place.
  }
}
