package com.foundrydb.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * This build of the agent: its version, as the build wrote it into build.properties. One place
 * for --version and the foundrydb_build_info metric.
 */
public final class BuildInfo implements CommandLine.IVersionProvider {
    private static final String VERSION = read();

    public static String version() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"foundrydb-agent " + VERSION};
    }

    private static String read() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the agent's classes");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
