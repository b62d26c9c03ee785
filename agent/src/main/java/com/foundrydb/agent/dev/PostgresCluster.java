package com.foundrydb.agent.dev;

import com.foundrydb.agent.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One PostgreSQL 15 cluster of the dev stack, run from Debian's server binaries by an unprivileged
 * OS user: a primary made by initdb, or a hot standby made by pg_basebackup from the primary.
 */
public final class PostgresCluster implements Part {
    /** The admin rules of a fresh dev cluster; pipelines add their own tagged lines above them. */
    static final String HBA = """
      # FoundryDB dev stack. Pipelines insert their own lines, tagged foundrydb:pipeline=<id>.
      local   all             all                                     trust
      host    all             postgres        127.0.0.1/32            scram-sha-256
      host    replication     postgres        127.0.0.1/32            scram-sha-256
      """;

    private final String name;
    private final Path dataDir;
    private final int port;
    private final OsUser user;
    private final Path bin;
    private final ManagedProcess process;

    public PostgresCluster(String name, Path dataDir, int port, OsUser user, Path bin, Path pidFile) {
        this.name = name;
        this.dataDir = dataDir;
        this.port = port;
        this.user = user;
        this.bin = bin;
        this.process = new ManagedProcess(name, pidFile);
    }

    /** Debian's postgresql-15 server binaries, or FOUNDRYDB_PG_BIN. */
    public static Path serverBinaries() {
        String env = System.getenv("FOUNDRYDB_PG_BIN");
        Path dir = Path.of(env != null && !env.isBlank() ? env : "/usr/lib/postgresql/15/bin");
        if (!Files.isExecutable(dir.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15 server binaries not found in " + dir
                    + ": install Debian's postgresql-15 package (bin/install-prereqs does), or set FOUNDRYDB_PG_BIN");
        }
        return dir;
    }

    @Override
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean initialized() {
        return Files.exists(dataDir.resolve("PG_VERSION"));
    }

    /** Whether the node starts as a hot standby (standby.signal; a promotion removes it). */
    public boolean standby() {
        return Files.exists(dataDir.resolve("standby.signal"));
    }

    @Override
    public boolean running() {
        return process.alive().isPresent();
    }

    /** SIGKILL to the postmaster; its backends notice and exit, as after a crash. */
    @Override
    public void kill9() {
        process.kill9();
    }

    public void initPrimary(String adminPassword) throws IOException, InterruptedException {
        Path parent = dataDir.getParent();
        Path pwfile = parent.resolve(name + ".pw");
        PrivateFiles.write(pwfile, adminPassword + "\n");
        user.own(parent); // hands the password file to the clusters' user too, still owner-only
        try {
            Shell.run(user.command(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dataDir.toString(),
                    "-U",
                    "postgres",
                    "--pwfile=" + pwfile,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync")));
        } finally {
            Files.deleteIfExists(pwfile);
        }
        writeAsOwner(dataDir.resolve("pg_hba.conf"), HBA, false);
        writeAsOwner(dataDir.resolve("postgresql.conf"), SETTINGS, true);
        writeAsOwner(dataDir.resolve(NODE_CONF), "port = " + port + "\n", false);
    }

    /**
     * A hot standby streaming from the primary, made from a fresh base backup: whatever the data
     * directory held before (a failed primary, say) is discarded.
     */
    public void initReplicaOf(PostgresCluster primary, String adminPassword) throws IOException, InterruptedException {
        user.own(dataDir.getParent());
        Shell.run(user.command(List.of("rm", "-rf", dataDir.toString())));
        Shell.run(
                user.command(List.of(
                        bin.resolve("pg_basebackup").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(primary.port),
                        "-U",
                        "postgres",
                        "-D",
                        dataDir.toString(),
                        "-X",
                        "stream",
                        "-c",
                        "fast",
                        "--no-sync")),
                Map.of("PGPASSWORD", adminPassword));
        Shell.run(
                user.command(List.of("touch", dataDir.resolve("standby.signal").toString())));
        writeAsOwner(
                dataDir.resolve(NODE_CONF),
                "port = " + port + "\n"
                        + "primary_conninfo = 'host=127.0.0.1 port=" + primary.port + " user=postgres password="
                        + adminPassword
                        + " application_name=" + name + "'\n",
                false);
    }

    /** Ends this hot standby's recovery: from now on it is a primary that accepts writes. */
    public void promote() throws IOException, InterruptedException {
        Shell.run(user.command(
                List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60", "promote")));
    }

    /** Settings of the node rather than the cluster: a base backup copies the file, the standby rewrites it. */
    private static final String NODE_CONF = "node.conf";

    private static final String SETTINGS = """

      # FoundryDB dev stack
      listen_addresses = '127.0.0.1'
      unix_socket_directories = ''
      wal_level = logical
      max_connections = 200
      max_replication_slots = 64
      max_wal_senders = 64
      wal_keep_size = '256MB'
      hot_standby = on
      shared_buffers = '64MB'
      log_line_prefix = '%m [%p] %q%u@%d '
      include_if_exists = 'node.conf'
      """;

    /** Settings appended to postgresql.conf (later lines win); they apply at the next start. */
    public void appendSettings(String settings) throws IOException, InterruptedException {
        writeAsOwner(dataDir.resolve("postgresql.conf"), "\n" + settings + "\n", true);
    }

    /**
     * Writes through the cluster's OS user so that ownership and permissions stay PostgreSQL's own
     * (the file is created owner-only). The text goes through the command's stdin, never through a
     * file others could read: node.conf holds the admin password.
     */
    private void writeAsOwner(Path file, String text, boolean append) throws IOException, InterruptedException {
        String op = append ? ">>" : ">";
        Shell.run(
                user.command(List.of("sh", "-c", "umask 077; cat " + op + " \"$1\"", "sh", file.toString())),
                Map.of(),
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Clusters made before the dev stack ran with PostgreSQL's real durability settings have fsync
     * and full_page_writes off in postgresql.conf: later lines win, so they are turned back on.
     */
    private void restoreDurability() throws IOException, InterruptedException {
        String conf = Shell.run(
                user.command(List.of("cat", dataDir.resolve("postgresql.conf").toString())));
        if (conf.contains("\nfsync = off\n") && !conf.contains(DURABLE)) {
            appendSettings(DURABLE);
        }
    }

    private static final String DURABLE =
            "# FoundryDB dev stack: PostgreSQL's own durability\nfsync = on\n" + "full_page_writes = on";

    @Override
    public void start() throws IOException, InterruptedException {
        if (running()) {
            return;
        }
        restoreDurability();
        pgCtlStarting(List.of("start"));
    }

    /**
     * pg_ctl restart -m immediate: every backend and walsender ends at once, without a shutdown
     * checkpoint, and the node comes back through crash recovery (fault drills).
     */
    public void restartImmediate() throws IOException, InterruptedException {
        pgCtlStarting(List.of("-m", "immediate", "restart"));
    }

    /** Runs pg_ctl start or restart and records the new postmaster's pid. */
    private void pgCtlStarting(List<String> action) throws IOException, InterruptedException {
        Path log = dataDir.getParent().resolve(name + ".log");
        // Own session: Ctrl-C at the dev command's terminal must not reach the postmaster.
        Shell.run(concat(
                List.of("setsid", "--wait"),
                user.command(concat(
                        List.of(
                                bin.resolve("pg_ctl").toString(),
                                "-D",
                                dataDir.toString(),
                                "-l",
                                log.toString(),
                                "-w",
                                "-t",
                                "120"),
                        action))));
        long pid = Long.parseLong(
                Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        process.record(ProcessHandle.of(pid).orElseThrow(() -> new IOException(name + " exited right after start")));
    }

    @Override
    public void stop() throws IOException, InterruptedException {
        stop("fast");
    }

    /** Stops at once, as a crash would: whatever the standby has not yet received is lost. */
    public void crash() throws IOException, InterruptedException {
        stop("immediate");
    }

    private void stop(String mode) throws IOException, InterruptedException {
        // A start cut short may have left a postmaster whose pid was never recorded: pg_ctl knows it.
        if (running() || Files.exists(dataDir.resolve("postmaster.pid"))) {
            Shell.exitCode(user.command(List.of(
                    bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", mode, "-w", "-t", "60", "stop")));
        }
        process.stop(Duration.ofSeconds(10));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
