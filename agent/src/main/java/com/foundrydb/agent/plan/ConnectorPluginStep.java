package com.foundrydb.agent.plan;

import com.foundrydb.agent.config.SinkService;
import com.foundrydb.agent.connect.ConnectorConfig;
import com.foundrydb.agent.connect.PluginRollout;
import com.foundrydb.agent.connect.PluginRollout.State;
import com.foundrydb.agent.connect.PluginRollout.WorkerPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The Debezium PostgreSQL plugin on every worker of the sink, each asked itself. Where it is missing
 * (or another version than the sink's archive runs) on a worker with a plugin path, the sink's
 * rollout unpacks it there and restarts the workers one at a time. A worker that does not answer is
 * not drift: it is looked at again at the next check. The plugin is shared, so remove leaves it.
 */
public final class ConnectorPluginStep implements Step {
    /**
     * How long a pipeline's run waits for a rollout before it lets the thread go and comes back (as
     * waiting: within seconds, the phase staying provisioning).
     */
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "connector_plugin";
    }

    @Override
    public Observation observe(StepContext ctx) throws Exception {
        List<WorkerPlugin> seen = reachable(ctx.sink());
        boolean installed = seen.stream().allMatch(w -> w.state() == State.INSTALLED);
        boolean any = seen.stream().anyMatch(w -> w.state() == State.INSTALLED);
        return Observation.of(
                any,
                installed,
                installed
                        ? "installed on " + seen.size() + " of "
                                + ctx.sink().workers().size() + " workers"
                        : describe(seen));
    }

    /** The workers that answer; none answering is no observation at all. */
    private static List<WorkerPlugin> reachable(SinkService sink) throws IOException {
        List<WorkerPlugin> all = PluginRollout.observe(sink);
        List<WorkerPlugin> answering =
                all.stream().filter(w -> w.state() != State.UNREACHABLE).toList();
        if (answering.isEmpty()) {
            throw new IOException("no Kafka Connect worker of sink " + sink.name() + " answers: " + describe(all));
        }
        return answering;
    }

    private static String describe(List<WorkerPlugin> seen) {
        return seen.stream().map(WorkerPlugin::describe).collect(Collectors.joining("; "));
    }

    @Override
    public void ensure(StepContext ctx) throws Exception {
        SinkService sink = ctx.sink();
        // A worker the rollout is restarting does not answer: while one is under way, only its end counts.
        boolean underWay = PluginRollout.underWay(sink);
        List<WorkerPlugin> seen = reachable(sink);
        if (!underWay && seen.stream().allMatch(w -> w.state() == State.INSTALLED)) {
            return;
        }
        List<WorkerPlugin> operators = seen.stream()
                .filter(w -> w.state() != State.INSTALLED && w.worker().pluginPath() == null)
                .toList();
        if (!operators.isEmpty()) {
            throw StepFailure.needsFix("the Debezium PostgreSQL connector plugin is missing on workers of sink "
                    + sink.name() + " that the agent does not install onto (" + describe(operators) + "): install "
                    + ConnectorConfig.CONNECTOR_CLASS
                    + " there (io.debezium:debezium-connector-postgres, plugin archive), or"
                    + " give those workers a plugin_path and the sink a plugin_archive");
        }
        List<WorkerPlugin> unrestartable = seen.stream()
                .filter(w -> w.state() != State.INSTALLED && w.worker().restart() == null)
                .toList();
        if (!unrestartable.isEmpty()) {
            throw StepFailure.needsFix("the Debezium PostgreSQL connector plugin is missing on workers of sink "
                    + sink.name() + " that have no restart (" + describe(unrestartable)
                    + "): a worker loads plugins only at"
                    + " its start, so give each a restart.command, or unpack " + sink.pluginArchive()
                    + " into its plugin"
                    + " path and restart it yourself");
        }
        if (sink.pluginArchive() != null && !Files.isRegularFile(Path.of(sink.pluginArchive()))) {
            throw StepFailure.needsFix("connector plugin archive not found at " + sink.pluginArchive() + ": point"
                    + " plugin_archive of sink " + sink.name()
                    + " at the Debezium PostgreSQL plugin archive (.tar.gz) and"
                    + " restart the agent");
        }
        PluginRollout rollout = PluginRollout.start(sink, ctx.workers());
        try {
            rollout.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRolling) {
            throw StepFailure.waitingFor(
                    rollout.remaining(),
                    "the connector plugin is rolling out onto the workers of" + " sink " + sink.name()
                            + ", one at a time: " + rollout.progress());
        } catch (ExecutionException e) {
            rollout.forget();
            throw new StepFailure("installing the connector plugin on sink " + sink.name() + " failed: "
                    + e.getCause().getMessage());
        }
        List<WorkerPlugin> after = reachable(sink);
        List<WorkerPlugin> lacking =
                after.stream().filter(w -> w.state() != State.INSTALLED).toList();
        if (!lacking.isEmpty()) {
            throw StepFailure.waitingFor(
                    lacking.stream().map(w -> w.worker().url()).toList(),
                    "the connector plugin" + " rollout on sink " + sink.name() + " finished, yet: " + describe(after)
                            + "; rolling out again");
        }
    }

    @Override
    public void remove(StepContext ctx) {
        // Shared by every pipeline of the sink: left in place.
    }
}
