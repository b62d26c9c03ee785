package com.foundrydb.bridge.plugin;

import com.foundrydb.bridge.proto.goplugin.GRPCStdioGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcStdioProto;
import com.google.protobuf.Empty;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * plugin.GRPCStdio: the host opens this stream once to mirror the plugin's stdout/stderr.
 * Our logs already reach the host through stderr, so the stream stays open and silent until
 * the server stops; an answered-but-idle stream keeps the host from logging a fallback warning.
 */
final class StdioService extends GRPCStdioGrpc.GRPCStdioImplBase {

    private final List<StreamObserver<GrpcStdioProto.StdioData>> open = new CopyOnWriteArrayList<>();

    @Override
    public void streamStdio(Empty request, StreamObserver<GrpcStdioProto.StdioData> response) {
        open.add(response);
        if (response instanceof ServerCallStreamObserver<GrpcStdioProto.StdioData> call) {
            call.setOnCancelHandler(() -> open.remove(response));
        }
    }

    void closeAll() {
        for (StreamObserver<GrpcStdioProto.StdioData> stream : open) {
            try {
                stream.onCompleted();
            } catch (RuntimeException e) {
                // Already cancelled by the host: nothing left to close.
            }
        }
        open.clear();
    }
}
