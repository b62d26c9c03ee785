package com.foundrydb.bridge.provider;

import com.foundrydb.bridge.cty.CtyJson;
import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.bridge.plugin.Log;
import com.foundrydb.bridge.proto.tfplugin6.ProviderGrpc;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.foundrydb.bridge.resource.DataSource;
import com.foundrydb.bridge.resource.ManagedResource;
import com.foundrydb.bridge.resource.PlanResult;
import com.foundrydb.bridge.resource.StateResult;
import com.foundrydb.bridge.schema.SchemaProtos;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * tfplugin6.Provider over gRPC: decodes Terraform's DynamicValues with the schema of the type
 * named in the request, calls the provider, and encodes the answer. Every RPC Terraform 1.11
 * can send has an answer; an exception never escapes as a gRPC error but becomes an error
 * diagnostic, which Terraform shows to the user instead of a crash report.
 */
public final class ProviderService extends ProviderGrpc.ProviderImplBase {

    private final FoundryDbProvider provider;

    public ProviderService(FoundryDbProvider provider) {
        this.provider = provider;
    }

    @Override
    public void getMetadata(
            Tfplugin6.GetMetadata.Request request, StreamObserver<Tfplugin6.GetMetadata.Response> response) {
        answer(
                "GetMetadata",
                response,
                () -> {
                    Tfplugin6.GetMetadata.Response.Builder metadata =
                            Tfplugin6.GetMetadata.Response.newBuilder().setServerCapabilities(capabilities());
                    for (String type : provider.resources().keySet()) {
                        metadata.addResources(Tfplugin6.GetMetadata.ResourceMetadata.newBuilder()
                                .setTypeName(type));
                    }
                    for (String type : provider.dataSources().keySet()) {
                        metadata.addDataSources(Tfplugin6.GetMetadata.DataSourceMetadata.newBuilder()
                                .setTypeName(type));
                    }
                    return metadata.build();
                },
                diagnostics -> Tfplugin6.GetMetadata.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    /**
     * plan_destroy: we want PlanResourceChange for destroys too. get_provider_schema_optional
     * false: Terraform must ask for the schema in each process it starts.
     */
    private static Tfplugin6.ServerCapabilities capabilities() {
        return Tfplugin6.ServerCapabilities.newBuilder()
                .setPlanDestroy(true)
                .setGetProviderSchemaOptional(false)
                .setMoveResourceState(false)
                .build();
    }

    @Override
    public void getProviderSchema(
            Tfplugin6.GetProviderSchema.Request request,
            StreamObserver<Tfplugin6.GetProviderSchema.Response> response) {
        answer(
                "GetProviderSchema",
                response,
                () -> {
                    Tfplugin6.GetProviderSchema.Response.Builder schemas =
                            Tfplugin6.GetProviderSchema.Response.newBuilder()
                                    .setProvider(SchemaProtos.toProto(FoundryDbProvider.SCHEMA))
                                    .setServerCapabilities(capabilities());
                    provider.resources()
                            .forEach((type, resource) ->
                                    schemas.putResourceSchemas(type, SchemaProtos.toProto(resource.schema())));
                    provider.dataSources()
                            .forEach((type, dataSource) ->
                                    schemas.putDataSourceSchemas(type, SchemaProtos.toProto(dataSource.schema())));
                    return schemas.build();
                },
                diagnostics -> Tfplugin6.GetProviderSchema.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void validateProviderConfig(
            Tfplugin6.ValidateProviderConfig.Request request,
            StreamObserver<Tfplugin6.ValidateProviderConfig.Response> response) {
        answer(
                "ValidateProviderConfig",
                response,
                () -> {
                    CtyValue config = DynamicValues.decode(request.getConfig(), FoundryDbProvider.SCHEMA.impliedType());
                    return Tfplugin6.ValidateProviderConfig.Response.newBuilder()
                            .addAllDiagnostics(DiagnosticProtos.toProto(provider.validateConfig(config)))
                            .build();
                },
                diagnostics -> Tfplugin6.ValidateProviderConfig.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void configureProvider(
            Tfplugin6.ConfigureProvider.Request request,
            StreamObserver<Tfplugin6.ConfigureProvider.Response> response) {
        answer(
                "ConfigureProvider",
                response,
                () -> {
                    CtyValue config = DynamicValues.decode(request.getConfig(), FoundryDbProvider.SCHEMA.impliedType());
                    Diagnostics diagnostics = provider.configure(config, request.getTerraformVersion());
                    return Tfplugin6.ConfigureProvider.Response.newBuilder()
                            .addAllDiagnostics(DiagnosticProtos.toProto(diagnostics))
                            .build();
                },
                diagnostics -> Tfplugin6.ConfigureProvider.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void validateResourceConfig(
            Tfplugin6.ValidateResourceConfig.Request request,
            StreamObserver<Tfplugin6.ValidateResourceConfig.Response> response) {
        answer(
                "ValidateResourceConfig",
                response,
                () -> {
                    Tfplugin6.ValidateResourceConfig.Response.Builder answer =
                            Tfplugin6.ValidateResourceConfig.Response.newBuilder();
                    ManagedResource resource = provider.resources().get(request.getTypeName());
                    if (resource == null) {
                        return answer.addAllDiagnostics(unknownType("resource", request.getTypeName()))
                                .build();
                    }
                    CtyValue config = decode(
                            "ValidateResourceConfig",
                            "config",
                            request.getTypeName(),
                            request.getConfig(),
                            resource.schema().impliedType());
                    return answer.addAllDiagnostics(DiagnosticProtos.toProto(resource.validate(config)))
                            .build();
                },
                diagnostics -> Tfplugin6.ValidateResourceConfig.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void validateDataResourceConfig(
            Tfplugin6.ValidateDataResourceConfig.Request request,
            StreamObserver<Tfplugin6.ValidateDataResourceConfig.Response> response) {
        answer(
                "ValidateDataResourceConfig",
                response,
                () -> {
                    Tfplugin6.ValidateDataResourceConfig.Response.Builder answer =
                            Tfplugin6.ValidateDataResourceConfig.Response.newBuilder();
                    DataSource dataSource = provider.dataSources().get(request.getTypeName());
                    if (dataSource == null) {
                        return answer.addAllDiagnostics(unknownType("data source", request.getTypeName()))
                                .build();
                    }
                    CtyValue config = decode(
                            "ValidateDataResourceConfig",
                            "config",
                            request.getTypeName(),
                            request.getConfig(),
                            dataSource.schema().impliedType());
                    return answer.addAllDiagnostics(DiagnosticProtos.toProto(dataSource.validate(config)))
                            .build();
                },
                diagnostics -> Tfplugin6.ValidateDataResourceConfig.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    /**
     * Terraform hands every stored object through here before using it. All our schemas are
     * at version 0, so upgrading means re-reading the JSON under today's schema: attributes an
     * older build wrote but the schema no longer has are dropped, missing ones become null.
     */
    @Override
    public void upgradeResourceState(
            Tfplugin6.UpgradeResourceState.Request request,
            StreamObserver<Tfplugin6.UpgradeResourceState.Response> response) {
        answer(
                "UpgradeResourceState",
                response,
                () -> {
                    Tfplugin6.UpgradeResourceState.Response.Builder answer =
                            Tfplugin6.UpgradeResourceState.Response.newBuilder();
                    ManagedResource resource = provider.resources().get(request.getTypeName());
                    if (resource == null) {
                        return answer.addAllDiagnostics(unknownType("resource", request.getTypeName()))
                                .build();
                    }
                    CtyType.ObjectType type = resource.schema().impliedType();
                    if (request.getVersion() > resource.schema().version()) {
                        return answer.addAllDiagnostics(DiagnosticProtos.error(
                                        "State from a newer provider",
                                        request.getTypeName() + " state has schema version " + request.getVersion()
                                                + " but this provider knows versions up to "
                                                + resource.schema().version()
                                                + ". Use the provider version that wrote the state."))
                                .build();
                    }
                    Tfplugin6.RawState raw = request.getRawState();
                    CtyValue upgraded;
                    if (!raw.getJson().isEmpty()) {
                        Log.trace(
                                "raw state received",
                                "rpc",
                                "UpgradeResourceState",
                                "type_name",
                                request.getTypeName(),
                                "version",
                                request.getVersion(),
                                "json",
                                raw.getJson().toStringUtf8());
                        List<CtyPath> dropped = new ArrayList<>();
                        upgraded = CtyJson.decode(raw.getJson().toByteArray(), type, dropped);
                        if (!dropped.isEmpty()) {
                            Log.info(
                                    "dropped attributes the schema no longer has",
                                    "type",
                                    request.getTypeName(),
                                    "attributes",
                                    dropped.toString());
                        }
                    } else if (!raw.getFlatmapMap().isEmpty()) {
                        return answer.addAllDiagnostics(
                                        DiagnosticProtos.error(
                                                "Unsupported legacy state",
                                                request.getTypeName()
                                                        + " state is in the pre-0.12 flatmap format, which this provider never "
                                                        + "wrote. Remove it with `terraform state rm` and import the object again."))
                                .build();
                    } else {
                        upgraded = CtyValue.nullOf(type);
                    }
                    resource.stateLoaded(upgraded);
                    return answer.setUpgradedState(DynamicValues.encode(upgraded, type))
                            .build();
                },
                diagnostics -> Tfplugin6.UpgradeResourceState.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void readResource(
            Tfplugin6.ReadResource.Request request, StreamObserver<Tfplugin6.ReadResource.Response> response) {
        answer(
                "ReadResource",
                response,
                () -> {
                    Tfplugin6.ReadResource.Response.Builder answer =
                            Tfplugin6.ReadResource.Response.newBuilder().setPrivate(request.getPrivate());
                    ManagedResource resource = provider.resources().get(request.getTypeName());
                    if (resource == null) {
                        return answer.addAllDiagnostics(unknownType("resource", request.getTypeName()))
                                .build();
                    }
                    CtyType.ObjectType type = resource.schema().impliedType();
                    CtyValue current = decode(
                            "ReadResource", "current_state", request.getTypeName(), request.getCurrentState(), type);
                    StateResult result = resource.read(current);
                    return answer.setNewState(DynamicValues.encode(result.state(), type))
                            .addAllDiagnostics(DiagnosticProtos.toProto(result.diagnostics()))
                            .build();
                },
                diagnostics -> Tfplugin6.ReadResource.Response.newBuilder()
                        .setNewState(request.getCurrentState())
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void planResourceChange(
            Tfplugin6.PlanResourceChange.Request request,
            StreamObserver<Tfplugin6.PlanResourceChange.Response> response) {
        answer(
                "PlanResourceChange",
                response,
                () -> {
                    Tfplugin6.PlanResourceChange.Response.Builder answer =
                            Tfplugin6.PlanResourceChange.Response.newBuilder()
                                    .setPlannedPrivate(request.getPriorPrivate());
                    ManagedResource resource = provider.resources().get(request.getTypeName());
                    if (resource == null) {
                        return answer.addAllDiagnostics(unknownType("resource", request.getTypeName()))
                                .build();
                    }
                    CtyType.ObjectType type = resource.schema().impliedType();
                    PlanResult plan = resource.plan(
                            decode(
                                    "PlanResourceChange",
                                    "prior_state",
                                    request.getTypeName(),
                                    request.getPriorState(),
                                    type),
                            decode(
                                    "PlanResourceChange",
                                    "proposed_new_state",
                                    request.getTypeName(),
                                    request.getProposedNewState(),
                                    type),
                            decode("PlanResourceChange", "config", request.getTypeName(), request.getConfig(), type));
                    answer.setPlannedState(DynamicValues.encode(plan.plannedState(), type))
                            .addAllDiagnostics(DiagnosticProtos.toProto(plan.diagnostics()));
                    for (CtyPath path : plan.requiresReplace()) {
                        answer.addRequiresReplace(DiagnosticProtos.toProto(path));
                    }
                    return answer.build();
                },
                diagnostics -> Tfplugin6.PlanResourceChange.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void applyResourceChange(
            Tfplugin6.ApplyResourceChange.Request request,
            StreamObserver<Tfplugin6.ApplyResourceChange.Response> response) {
        answer(
                "ApplyResourceChange",
                response,
                () -> {
                    Tfplugin6.ApplyResourceChange.Response.Builder answer =
                            Tfplugin6.ApplyResourceChange.Response.newBuilder().setPrivate(request.getPlannedPrivate());
                    ManagedResource resource = provider.resources().get(request.getTypeName());
                    if (resource == null) {
                        return answer.addAllDiagnostics(unknownType("resource", request.getTypeName()))
                                .build();
                    }
                    CtyType.ObjectType type = resource.schema().impliedType();
                    StateResult result = resource.apply(
                            decode(
                                    "ApplyResourceChange",
                                    "prior_state",
                                    request.getTypeName(),
                                    request.getPriorState(),
                                    type),
                            decode(
                                    "ApplyResourceChange",
                                    "planned_state",
                                    request.getTypeName(),
                                    request.getPlannedState(),
                                    type),
                            decode("ApplyResourceChange", "config", request.getTypeName(), request.getConfig(), type));
                    return answer.setNewState(DynamicValues.encode(result.state(), type))
                            .addAllDiagnostics(DiagnosticProtos.toProto(result.diagnostics()))
                            .build();
                },
                diagnostics -> Tfplugin6.ApplyResourceChange.Response.newBuilder()
                        // On a crash keep what Terraform had, so nothing vanishes from state.
                        .setNewState(request.getPriorState())
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void importResourceState(
            Tfplugin6.ImportResourceState.Request request,
            StreamObserver<Tfplugin6.ImportResourceState.Response> response) {
        answer(
                "ImportResourceState",
                response,
                () -> {
                    Tfplugin6.ImportResourceState.Response.Builder answer =
                            Tfplugin6.ImportResourceState.Response.newBuilder();
                    ManagedResource resource = provider.resources().get(request.getTypeName());
                    if (resource == null) {
                        return answer.addAllDiagnostics(unknownType("resource", request.getTypeName()))
                                .build();
                    }
                    StateResult result = resource.importState(request.getId());
                    if (!result.diagnostics().hasErrors()) {
                        answer.addImportedResources(Tfplugin6.ImportResourceState.ImportedResource.newBuilder()
                                .setTypeName(request.getTypeName())
                                .setState(DynamicValues.encode(
                                        result.state(), resource.schema().impliedType())));
                    }
                    return answer.addAllDiagnostics(DiagnosticProtos.toProto(result.diagnostics()))
                            .build();
                },
                diagnostics -> Tfplugin6.ImportResourceState.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void moveResourceState(
            Tfplugin6.MoveResourceState.Request request,
            StreamObserver<Tfplugin6.MoveResourceState.Response> response) {
        answer(
                "MoveResourceState",
                response,
                () -> Tfplugin6.MoveResourceState.Response.newBuilder()
                        .addAllDiagnostics(
                                DiagnosticProtos.error(
                                        "Moving resources is not supported",
                                        "The foundrydb provider cannot turn a " + request.getSourceTypeName() + " from "
                                                + request.getSourceProviderAddress() + " into a "
                                                + request.getTargetTypeName()
                                                + ". Remove the `moved` block, then use `terraform import` with the pipeline's id."))
                        .build(),
                diagnostics -> Tfplugin6.MoveResourceState.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void readDataSource(
            Tfplugin6.ReadDataSource.Request request, StreamObserver<Tfplugin6.ReadDataSource.Response> response) {
        answer(
                "ReadDataSource",
                response,
                () -> {
                    Tfplugin6.ReadDataSource.Response.Builder answer = Tfplugin6.ReadDataSource.Response.newBuilder();
                    DataSource dataSource = provider.dataSources().get(request.getTypeName());
                    if (dataSource == null) {
                        return answer.addAllDiagnostics(unknownType("data source", request.getTypeName()))
                                .build();
                    }
                    CtyType.ObjectType type = dataSource.schema().impliedType();
                    StateResult result = dataSource.read(
                            decode("ReadDataSource", "config", request.getTypeName(), request.getConfig(), type));
                    return answer.setState(DynamicValues.encode(result.state(), type))
                            .addAllDiagnostics(DiagnosticProtos.toProto(result.diagnostics()))
                            .build();
                },
                diagnostics -> Tfplugin6.ReadDataSource.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void getFunctions(
            Tfplugin6.GetFunctions.Request request, StreamObserver<Tfplugin6.GetFunctions.Response> response) {
        answer(
                "GetFunctions",
                response,
                () -> Tfplugin6.GetFunctions.Response.getDefaultInstance(),
                diagnostics -> Tfplugin6.GetFunctions.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void callFunction(
            Tfplugin6.CallFunction.Request request, StreamObserver<Tfplugin6.CallFunction.Response> response) {
        answer(
                "CallFunction",
                response,
                () -> functionError(request.getName()),
                diagnostics -> functionError(request.getName()));
    }

    private static Tfplugin6.CallFunction.Response functionError(String name) {
        return Tfplugin6.CallFunction.Response.newBuilder()
                .setError(Tfplugin6.FunctionError.newBuilder()
                        .setText("The foundrydb provider defines no functions; there is no \"" + name + "\"."))
                .build();
    }

    @Override
    public void validateEphemeralResourceConfig(
            Tfplugin6.ValidateEphemeralResourceConfig.Request request,
            StreamObserver<Tfplugin6.ValidateEphemeralResourceConfig.Response> response) {
        answer(
                "ValidateEphemeralResourceConfig",
                response,
                () -> Tfplugin6.ValidateEphemeralResourceConfig.Response.newBuilder()
                        .addAllDiagnostics(unknownType("ephemeral resource", request.getTypeName()))
                        .build(),
                diagnostics -> Tfplugin6.ValidateEphemeralResourceConfig.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void openEphemeralResource(
            Tfplugin6.OpenEphemeralResource.Request request,
            StreamObserver<Tfplugin6.OpenEphemeralResource.Response> response) {
        answer(
                "OpenEphemeralResource",
                response,
                () -> Tfplugin6.OpenEphemeralResource.Response.newBuilder()
                        .addAllDiagnostics(unknownType("ephemeral resource", request.getTypeName()))
                        .build(),
                diagnostics -> Tfplugin6.OpenEphemeralResource.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void renewEphemeralResource(
            Tfplugin6.RenewEphemeralResource.Request request,
            StreamObserver<Tfplugin6.RenewEphemeralResource.Response> response) {
        answer(
                "RenewEphemeralResource",
                response,
                () -> Tfplugin6.RenewEphemeralResource.Response.newBuilder()
                        .addAllDiagnostics(unknownType("ephemeral resource", request.getTypeName()))
                        .build(),
                diagnostics -> Tfplugin6.RenewEphemeralResource.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void closeEphemeralResource(
            Tfplugin6.CloseEphemeralResource.Request request,
            StreamObserver<Tfplugin6.CloseEphemeralResource.Response> response) {
        answer(
                "CloseEphemeralResource",
                response,
                () -> Tfplugin6.CloseEphemeralResource.Response.newBuilder()
                        .addAllDiagnostics(unknownType("ephemeral resource", request.getTypeName()))
                        .build(),
                diagnostics -> Tfplugin6.CloseEphemeralResource.Response.newBuilder()
                        .addAllDiagnostics(diagnostics)
                        .build());
    }

    @Override
    public void stopProvider(
            Tfplugin6.StopProvider.Request request, StreamObserver<Tfplugin6.StopProvider.Response> response) {
        Log.info("StopProvider: cancelling waits in flight");
        provider.stopSignal().stop();
        response.onNext(Tfplugin6.StopProvider.Response.getDefaultInstance());
        response.onCompleted();
    }

    /**
     * Decodes a resource or data source value; at TRACE level the raw bytes are logged too, which
     * is how the test fixtures of values as Terraform really encodes them were captured.
     * Provider configuration (it holds the token) never goes through here.
     */
    private static CtyValue decode(
            String rpc, String field, String typeName, Tfplugin6.DynamicValue value, CtyType type) {
        if (Log.enabled(Log.Level.TRACE)) {
            Log.trace(
                    "dynamic value received",
                    "rpc",
                    rpc,
                    "field",
                    field,
                    "type_name",
                    typeName,
                    "msgpack",
                    Base64.getEncoder().encodeToString(value.getMsgpack().toByteArray()),
                    "json",
                    value.getJson().toStringUtf8());
        }
        return DynamicValues.decode(value, type);
    }

    private static List<Tfplugin6.Diagnostic> unknownType(String kind, String typeName) {
        return DiagnosticProtos.error(
                "Unknown " + kind + " type", "The foundrydb provider has no " + kind + " type \"" + typeName + "\".");
    }

    /** The top of a stack trace: enough to find the spot, short enough for a log line. */
    private static String shortTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\n");
        return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(lines.length, 15)));
    }

    /**
     * Runs one RPC. Whatever goes wrong inside becomes an error diagnostic in the RPC's own
     * response type; the stack trace goes to the log for TF_LOG=debug readers.
     */
    private static <T> void answer(
            String rpc,
            StreamObserver<T> response,
            Supplier<T> body,
            Function<List<Tfplugin6.Diagnostic>, T> onFailure) {
        Log.debug("rpc " + rpc);
        T result;
        try {
            result = body.get();
        } catch (RuntimeException | Error e) {
            Log.error("rpc " + rpc + " failed", "error", e, "stack", shortTrace(e));
            result = onFailure.apply(DiagnosticProtos.error(
                    "Internal error in the foundrydb provider",
                    rpc + " failed: " + e + ". Please report this with the output of TF_LOG=debug."));
        }
        response.onNext(result);
        response.onCompleted();
    }
}
