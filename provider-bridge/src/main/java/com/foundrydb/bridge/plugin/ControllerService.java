package com.foundrydb.bridge.plugin;

import com.foundrydb.bridge.proto.goplugin.GRPCControllerGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcControllerProto;
import io.grpc.stub.StreamObserver;

/**
 * plugin.GRPCController: Terraform calls Shutdown when it is done with the provider. The
 * answer goes out first; the process exits right after (Terraform kills it if it lingers).
 */
final class ControllerService extends GRPCControllerGrpc.GRPCControllerImplBase {

    private final Runnable onShutdown;

    ControllerService(Runnable onShutdown) {
        this.onShutdown = onShutdown;
    }

    @Override
    public void shutdown(GrpcControllerProto.Empty request, StreamObserver<GrpcControllerProto.Empty> response) {
        Log.debug("shutdown requested by the plugin host");
        response.onNext(GrpcControllerProto.Empty.getDefaultInstance());
        response.onCompleted();
        onShutdown.run();
    }
}
