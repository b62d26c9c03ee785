package com.foundrydb.agent.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS user that runs the PostgreSQL clusters. initdb refuses root, so when the dev stack runs as
 * root the clusters run as the unprivileged "postgres" user that Debian's package creates (or a
 * "foundrydb" user made for the purpose where that package's user is absent).
 */
public final class OsUser {
    private final String name; // null: run as ourselves

    private OsUser(String name) {
        this.name = name;
    }

    public static OsUser forPostgres() throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return new OsUser(null);
        }
        if (exists("postgres")) {
            return new OsUser("postgres");
        }
        if (!exists("foundrydb")) {
            Shell.run(List.of("useradd", "--system", "--user-group", "--no-create-home", "foundrydb"));
        }
        return new OsUser("foundrydb");
    }

    private static boolean exists(String user) throws IOException, InterruptedException {
        return Shell.exitCode(List.of("id", "-u", user)) == 0;
    }

    /** argv run as this user. */
    public List<String> command(List<String> argv) {
        if (name == null) {
            return argv;
        }
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        cmd.addAll(argv);
        return cmd;
    }

    /** Hands a directory (and what is in it) to this user, private to it as PostgreSQL demands. */
    public void own(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (name != null) {
            Shell.run(List.of("chown", "-R", name + ":", dir.toString()));
        }
        Shell.run(List.of("chmod", "0700", dir.toString()));
    }

    /** Whether this user can write into dir (every parent must let it through). */
    public boolean canWrite(Path dir) throws IOException, InterruptedException {
        return name == null || Shell.exitCode(command(List.of("test", "-w", dir.toString()))) == 0;
    }
}
