package com.foundrydb.bridge.provider;

import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.bridge.plugin.PluginEnvironment;
import com.foundrydb.bridge.plugin.PluginServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The provider serving one Terraform process: its own configuration, agent client and gRPC
 * server (port, certificate, trusted client certificate), all made from the environment that
 * Terraform process gave. Nothing is shared with another session, whether it runs in a
 * process of its own or in a provider kept warm.
 */
public final class ProviderSession {

    /** How often applies poll the agent while a pipeline settles: a status read costs the agent milliseconds. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final FoundryDbProvider provider;
    private final PluginServer server;

    private ProviderSession(FoundryDbProvider provider, PluginServer server) {
        this.provider = provider;
        this.server = server;
    }

    /** Listens, with AutoMTLS when the host asks for it; the handshake line is then ready. */
    public static ProviderSession start(PluginEnvironment plugin, Map<String, String> environment, String version)
            throws IOException {
        FoundryDbProvider provider = new FoundryDbProvider(environment, version, POLL_INTERVAL);
        PluginServer server = PluginServer.start(plugin, new ProviderService(provider));
        Log.debug(
                "foundrydb provider serving plugin protocol 6",
                "address",
                "127.0.0.1:" + server.port(),
                "version",
                version,
                "auto_mtls",
                plugin.autoMtls());
        return new ProviderSession(provider, server);
    }

    /** The provider's version, from the jar's manifest ("dev" when run from classes). */
    public static String version() {
        String version = ProviderSession.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    public String handshakeLine() {
        return server.handshakeLine();
    }

    /** Blocks until Terraform says Shutdown, or the session is abandoned. */
    public void awaitEnd() throws InterruptedException {
        server.awaitShutdownRequest();
    }

    /**
     * Terraform went away without a Shutdown: waits in flight give up, as on StopProvider, and
     * {@link #awaitEnd()} returns.
     */
    public void abandon() {
        provider.stopSignal().stop();
        server.abandon();
    }

    /** Stops serving; the Shutdown answer, if any, has gone out. */
    public void stop() {
        server.stop();
    }
}
