package com.foundrydb.bridge.plugin;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC server go-plugin expects: the application service (tfplugin6.Provider) beside
 * go-plugin's controller, stdio and broker services and the standard health service, which
 * answers SERVING for "plugin". Listens on 127.0.0.1 only, with AutoMTLS when the host asks.
 */
public final class PluginServer {

    /** Terraform sends large plans and states; go-plugin's own limit is far above gRPC's 4 MiB. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private static final String HOST = "127.0.0.1";

    private final Server server;
    private final EventLoopGroup eventLoops;
    private final ExecutorService calls;
    private final StdioService stdio;
    private final byte[] certificateDer;
    private final CountDownLatch shutdownRequested = new CountDownLatch(1);

    private PluginServer(
            Server server,
            EventLoopGroup eventLoops,
            ExecutorService calls,
            StdioService stdio,
            byte[] certificateDer) {
        this.server = server;
        this.eventLoops = eventLoops;
        this.calls = calls;
        this.stdio = stdio;
        this.certificateDer = certificateDer;
    }

    /**
     * Binds the first free port of the host's range (any free port when none is given). TLS
     * set-up is the slowest part of start-up (key and certificate generation, JSSE
     * initialisation), so it runs on other threads while this one loads the gRPC server.
     */
    public static PluginServer start(PluginEnvironment environment, BindableService provider) throws IOException {
        Future<ServerTls> tlsSetup = null;
        if (environment.autoMtls()) {
            tlsSetup = ServerTls.prepare(environment.clientCertificatePem());
        } else {
            Log.warn("PLUGIN_CLIENT_CERT is not set: serving without TLS");
        }
        StdioService stdio = new StdioService();
        PluginServer[] self = new PluginServer[1];
        ControllerService controller = new ControllerService(() -> self[0].shutdownRequested.countDown());
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("plugin", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);

        // Our own event loops rather than gRPC's shared ones, so that stop() can end their threads:
        // the JVM delays exit by 300 ms while any thread waits in native code such as epoll.
        EventLoopGroup eventLoops = new NioEventLoopGroup(2);
        ExecutorService calls = callExecutor(Log.current());
        ServerTls tls = null;
        IOException lastFailure = null;
        for (int port : candidatePorts(environment.minPort(), environment.maxPort())) {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(HOST, port))
                    .bossEventLoopGroup(eventLoops)
                    .workerEventLoopGroup(eventLoops)
                    .channelType(NioServerSocketChannel.class)
                    .executor(calls)
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .addService(provider)
                    .addService(controller)
                    .addService(stdio)
                    .addService(new BrokerService())
                    .addService(health.getHealthService());
            if (tlsSetup != null && tls == null) {
                tls = ServerTls.await(tlsSetup);
            }
            if (tls != null) {
                builder.sslContext(tls.context());
            }
            Server server = builder.build();
            try {
                server.start();
                self[0] = new PluginServer(server, eventLoops, calls, stdio, tls == null ? null : tls.certificateDer());
                return self[0];
            } catch (IOException e) {
                lastFailure = e;
            }
        }
        eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        calls.shutdown();
        throw new IOException(
                "no free port on " + HOST + " between " + environment.minPort() + " and " + environment.maxPort(),
                lastFailure);
    }

    /**
     * The threads that run this server's calls, each logging to {@code sink}. Never gRPC's
     * shared pool: in a provider kept warm, a pooled thread would carry one run's log sink into
     * the next run.
     */
    private static ExecutorService callExecutor(Log.Sink sink) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newCachedThreadPool(call -> {
            Thread thread = new Thread(
                    () -> {
                        Log.bind(sink);
                        call.run();
                    },
                    "plugin-call-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Ports to try: the whole range from a random starting point, so that providers started at
     * the same moment do not all race for the lowest port.
     */
    static int[] candidatePorts(int min, int max) {
        if (min <= 0 || max <= 0 || max < min) {
            return new int[] {0};
        }
        int count = max - min + 1;
        int start = ThreadLocalRandom.current().nextInt(count);
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = min + (start + i) % count;
        }
        return ports;
    }

    public int port() {
        return server.getPort();
    }

    public String handshakeLine() {
        return HandshakeLine.format(PluginEnvironment.PROTOCOL_VERSION, HOST, port(), certificateDer);
    }

    public byte[] certificateDer() {
        return certificateDer == null ? null : certificateDer.clone();
    }

    /** Blocks until the host calls GRPCController.Shutdown, or {@link #abandon()}. */
    public void awaitShutdownRequest() throws InterruptedException {
        shutdownRequested.await();
    }

    /** The host is gone without a Shutdown: whoever awaits one stops waiting. */
    public void abandon() {
        shutdownRequested.countDown();
    }

    /**
     * Lets the Shutdown answer go out, then drops what is left: the host has stopped using us
     * and waits for the process to exit, so a graceful drain of its idle streams only costs time.
     */
    public void stop() {
        stdio.closeAll();
        server.shutdown();
        try {
            if (!server.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(1, TimeUnit.SECONDS);
            }
            eventLoops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(1, TimeUnit.SECONDS);
            calls.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
