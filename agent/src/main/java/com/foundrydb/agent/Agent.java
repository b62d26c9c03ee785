package com.foundrydb.agent;

import com.foundrydb.agent.api.ApiServer;
import com.foundrydb.agent.config.AgentConfig;
import com.foundrydb.agent.config.ServiceRegistry;
import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.connect.RestartCommand;
import com.foundrydb.agent.connect.WorkerRestart;
import com.foundrydb.agent.dev.DevStack;
import com.foundrydb.agent.dev.Progress;
import com.foundrydb.agent.plan.Reconciler;
import com.foundrydb.agent.postgres.SourceAdmins;
import com.foundrydb.agent.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running agent: store, reconciler and API, wired from the operator's configuration. */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private final Store store;
  private final SourceAdmins admins;
  private final Reconciler reconciler;
  private final ApiServer api;

  private Agent(Store store, SourceAdmins admins, Reconciler reconciler, ApiServer api) {
    this.store = store;
    this.admins = admins;
    this.reconciler = reconciler;
    this.api = api;
  }

  public static Agent start(AgentConfig config) {
    long t = System.nanoTime();
    Store store = new Store(config.store());
    store.migrate();
    ServiceRegistry services = new ServiceRegistry(config.sources(), config.sinks());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SourceAdmins admins = new SourceAdmins();
    Reconciler reconciler = new Reconciler(store, services, admins, Agent::workerRestart,
        Duration.ofSeconds(config.reconcileSeconds()), Duration.ofSeconds(180),
        Duration.ofSeconds(config.driftCheckSeconds()), metrics);
    ApiServer api = new ApiServer(store, services, admins, reconciler, config.token(), metrics);
    String[] listen = (config.listen() == null ? "127.0.0.1:8686" : config.listen()).split(":");
    api.start(listen[0], Integer.parseInt(listen[1]));
    reconciler.start();
    LOG.info("agent listening on http://{}:{} (ready in {} ms)", listen[0], api.port(),
        (System.nanoTime() - t) / 1_000_000);
    return new Agent(store, admins, reconciler, api);
  }

  /**
   * How a sink's workers are restarted after a plugin install, each as its entry says: by its
   * command (killed after its timeout), or, on a dev stack, by the stack itself under the part's
   * lock (so that the stack's supervision does not take the stop for a crash).
   */
  static WorkerRestart workerRestart(SinkService sink) {
    return worker -> {
      SinkService.Restart r = worker.restart();
      if (r == null) {
        throw new IOException("worker " + worker.url() + " of sink " + sink.name() + " has no restart");
      }
      if (r.devHome() != null) {
        DevStack stack = DevStack.open(Path.of(r.devHome()), false, new Progress(System.out));
        try {
          stack.restart(stack.worker(r.devWorker() == null ? 1 : r.devWorker()));
        } catch (IOException | InterruptedException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e.getMessage(), e);
        }
        return;
      }
      RestartCommand.run(r.command(), Duration.ofSeconds(r.timeoutOrDefault()));
    };
  }

  @Override
  public void close() {
    reconciler.close();
    api.close();
    admins.close();
    store.close();
  }
}
