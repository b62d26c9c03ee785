package com.foundrydb.bridge.plugin;

import com.foundrydb.bridge.proto.goplugin.GRPCBrokerGrpc;
import com.foundrydb.bridge.proto.goplugin.GrpcBrokerProto;
import io.grpc.stub.StreamObserver;

/**
 * plugin.GRPCBroker: go-plugin's side channel for extra connections between host and plugin.
 * Terraform opens the stream on connect but never brokers a connection with a provider, so we
 * accept the stream, ignore what arrives and close our side when the host closes its side.
 */
final class BrokerService extends GRPCBrokerGrpc.GRPCBrokerImplBase {

    @Override
    public StreamObserver<GrpcBrokerProto.ConnInfo> startStream(StreamObserver<GrpcBrokerProto.ConnInfo> response) {
        return new StreamObserver<>() {
            @Override
            public void onNext(GrpcBrokerProto.ConnInfo info) {
                Log.debug("ignoring broker connection info", "service_id", info.getServiceId());
            }

            @Override
            public void onError(Throwable t) {
                // The host went away; nothing to clean up.
            }

            @Override
            public void onCompleted() {
                response.onCompleted();
            }
        };
    }
}
