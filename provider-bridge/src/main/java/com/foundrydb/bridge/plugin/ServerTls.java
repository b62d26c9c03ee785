package com.foundrydb.bridge.plugin;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import javax.net.ssl.SSLContext;

/** The server's TLS context for one run, and its certificate for the handshake line. */
record ServerTls(SslContext context, byte[] certificateDer) {

    /**
     * Starts building the TLS context in the background. The JDK's TLS provider is initialised
     * on a second thread meanwhile: it is independent of the key and certificate, and on a
     * cold JVM each of the two takes as long as the rest of start-up.
     */
    static Future<ServerTls> prepare(String hostCertificatePem) {
        Thread warmUp = new Thread(ServerTls::initialiseJsse, "jsse-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        FutureTask<ServerTls> task = new FutureTask<>(() -> {
            X509Certificate host = AutoMtls.parseCertificate(hostCertificatePem);
            ServerIdentity identity = AutoMtls.generateServerIdentity();
            return new ServerTls(AutoMtls.serverSslContext(identity, host), identity.certificateDer());
        });
        Thread builder = new Thread(task, "auto-mtls");
        builder.setDaemon(true);
        builder.start();
        return task;
    }

    static ServerTls await(Future<ServerTls> setup) {
        try {
            return setup.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot set up mutual TLS", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up mutual TLS", e);
        }
    }

    /**
     * Loads the default trust store once (Netty's TLS classes initialise a default context
     * from it) and runs the class initialisers of Netty's JDK TLS server context, none of which
     * depend on our key.
     */
    private static void initialiseJsse() {
        try {
            SSLContext.getInstance("TLS").init(null, null, null);
            Class.forName(
                    "io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslServerContext",
                    true,
                    ServerTls.class.getClassLoader());
        } catch (Exception e) {
            // Only a warm-up: the real set-up reports any problem.
            Log.trace("TLS warm-up failed", "error", e);
        }
    }
}
