package com.foundrydb.agent.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.foundrydb.agent.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Kafka sink: the brokers, the CIDR its Connect workers connect from (pipelines open pg_hba to
 * exactly that), and each worker of its Connect cluster the agent can reach. A connector's config
 * is one for the whole cluster, so the directory it names for credentials (workerSecretsDir) is the
 * same path on every worker; each worker says where the agent writes its copy.
 *
 * <p>Configurations written for a single worker (connect_url plus a workers block) are read as a
 * list of one worker.
 *
 * @param pluginArchive the Debezium PostgreSQL plugin archive unpacked onto workers that have a
 *     plugin path; null when operators install the plugin themselves
 * @param workerSecretsDir the directory, as every worker sees it, that its FileConfigProvider
 *     reads; null when no worker takes credentials from the agent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SinkService(
        String id,
        String name,
        String bootstrapServers,
        String workerCidr,
        String pluginArchive,
        String workerSecretsDir,
        List<Worker> workers) {

    /**
     * One Connect worker of the cluster.
     *
     * @param url its REST URL
     * @param pluginPath a directory the agent can write that the worker's plugin.path includes; null
     *     when the operator installs the plugin on this worker
     * @param secretsDir where the agent writes this worker's credential files: its view of the
     *     sink's worker_secrets_dir (the same directory, or a mount of it); null when the worker takes
     *     no credentials from the agent
     * @param restart how the worker is restarted after a plugin install; null when it cannot be
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Worker(String url, String pluginPath, String secretsDir, Restart restart) {}

    /**
     * How a worker restarts: a command (run by the agent, bounded by the timeout) that returns once the
     * worker is up again, or, on a dev stack, the stack's own restart of its worker number devWorker.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Restart(List<String> command, Integer timeoutSeconds, String devHome, Integer devWorker) {
        public static final int DEFAULT_TIMEOUT_SECONDS = 180;

        public static Restart command(List<String> argv, Integer timeoutSeconds) {
            return new Restart(List.copyOf(argv), timeoutSeconds, null, null);
        }

        public static Restart devStack(String home, int worker) {
            return new Restart(null, null, home, worker);
        }

        public int timeoutOrDefault() {
            return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
        }
    }

    /** The one-worker block of earlier configurations, read beside connect_url. */
    public record SingleWorker(
            String pluginPath, String pluginArchive, String secretsDir, List<String> restartCommand, String devHome) {}

    public SinkService {
        workers = List.copyOf(Objects.requireNonNullElse(workers, List.of()));
    }

    /** The earlier form: one worker at connectUrl, managed through the workers block if there is one. */
    public SinkService(
            String id,
            String name,
            String bootstrapServers,
            String connectUrl,
            String workerCidr,
            SingleWorker single) {
        this(
                id,
                name,
                bootstrapServers,
                workerCidr,
                single == null ? null : single.pluginArchive(),
                single == null ? null : single.secretsDir(),
                List.of(
                        single == null
                                ? new Worker(connectUrl, null, null, null)
                                : new Worker(
                                        connectUrl,
                                        single.pluginPath(),
                                        single.secretsDir(),
                                        single.restartCommand() != null
                                                ? Restart.command(single.restartCommand(), null)
                                                : single.devHome() != null
                                                        ? Restart.devStack(single.devHome(), 1)
                                                        : null)));
    }

    /** Reads either form from the configuration file and says which field is wrong, and how to fix it. */
    @JsonCreator
    static SinkService fromJson(
            @JsonProperty("id") String id,
            @JsonProperty("name") String name,
            @JsonProperty("bootstrap_servers") String bootstrapServers,
            @JsonProperty("worker_cidr") String workerCidr,
            @JsonProperty("connect_url") String connectUrl,
            @JsonProperty("plugin_archive") String pluginArchive,
            @JsonProperty("worker_secrets_dir") String workerSecretsDir,
            @JsonProperty("workers") JsonNode workers) {
        String at = "sink " + (id == null ? "(no id)" : id) + ": ";
        if (connectUrl != null) {
            if (workers != null && workers.isArray()) {
                throw new IllegalArgumentException(at + "connect_url and a workers list both given: list every worker"
                        + " (its url among them) under workers, and drop connect_url");
            }
            if (pluginArchive != null || workerSecretsDir != null) {
                throw new IllegalArgumentException(
                        at + "plugin_archive and worker_secrets_dir belong with a workers list;"
                                + " with connect_url they go into the workers block");
            }
            SingleWorker single =
                    workers == null || workers.isNull() ? null : Json.MAPPER.convertValue(workers, SingleWorker.class);
            return new SinkService(id, name, bootstrapServers, connectUrl, workerCidr, single).validated();
        }
        if (workers == null || !workers.isArray() || workers.isEmpty()) {
            throw new IllegalArgumentException(at + "workers is missing: list the Connect workers, each with its url"
                    + " (see docs/guides/operations.md)");
        }
        List<Worker> list = new ArrayList<>();
        workers.forEach(w -> list.add(Json.MAPPER.convertValue(w, Worker.class)));
        String secrets = workerSecretsDir;
        if (secrets == null) {
            List<String> dirs = list.stream()
                    .map(Worker::secretsDir)
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList();
            if (dirs.size() > 1) {
                throw new IllegalArgumentException(
                        at + "worker_secrets_dir is missing and the workers' secrets_dir differ:"
                                + " name the directory every worker's FileConfigProvider reads (the same path on each worker)");
            }
            secrets = dirs.isEmpty() ? null : dirs.get(0);
        }
        return new SinkService(id, name, bootstrapServers, workerCidr, pluginArchive, secrets, list).validated();
    }

    private SinkService validated() {
        String at = "sink " + id + ": ";
        for (int i = 0; i < workers.size(); i++) {
            Worker w = workers.get(i);
            String field = at + "workers[" + i + "].";
            if (w.url() == null || w.url().isBlank()) {
                throw new IllegalArgumentException(field + "url is missing: the worker's REST URL, http://host:8083");
            }
            if (w.pluginPath() != null && pluginArchive == null) {
                throw new IllegalArgumentException(
                        field + "plugin_path is set but the sink has no plugin_archive: name the"
                                + " Debezium PostgreSQL plugin archive to unpack there");
            }
            if (w.secretsDir() != null && workerSecretsDir == null) {
                throw new IllegalArgumentException(field + "secrets_dir is set but the sink has no worker_secrets_dir");
            }
            Restart r = w.restart();
            if (r != null) {
                boolean command = r.command() != null && !r.command().isEmpty();
                if (command == (r.devHome() != null)) {
                    throw new IllegalArgumentException(
                            field + "restart needs exactly one of command (argv) or dev_home");
                }
                if (r.timeoutSeconds() != null && r.timeoutSeconds() <= 0) {
                    throw new IllegalArgumentException(field + "restart.timeout_seconds must be positive");
                }
            }
        }
        return this;
    }

    /** The first worker's REST URL: where one-off calls go first. */
    public String connectUrl() {
        return workers.get(0).url();
    }

    /** Every worker's REST URL, in the configured order. */
    public List<String> connectUrls() {
        return workers.stream().map(Worker::url).toList();
    }

    /** Whether connector configs can name a credentials file the workers read (rather than a password). */
    public boolean takesCredentials() {
        return workerSecretsDir != null && workers.stream().anyMatch(w -> w.secretsDir() != null);
    }
}
