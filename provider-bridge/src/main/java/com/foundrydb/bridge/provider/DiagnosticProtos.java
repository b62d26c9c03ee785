package com.foundrydb.bridge.provider;

import com.foundrydb.bridge.cty.CtyPath;
import com.foundrydb.bridge.diag.Diagnostic;
import com.foundrydb.bridge.diag.Diagnostics;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import java.util.ArrayList;
import java.util.List;

/** Our diagnostics and attribute paths as tfplugin6 messages. */
public final class DiagnosticProtos {

    private DiagnosticProtos() {}

    public static List<Tfplugin6.Diagnostic> toProto(Diagnostics diagnostics) {
        List<Tfplugin6.Diagnostic> protos = new ArrayList<>();
        for (Diagnostic diagnostic : diagnostics) {
            protos.add(toProto(diagnostic));
        }
        return protos;
    }

    public static Tfplugin6.Diagnostic toProto(Diagnostic diagnostic) {
        Tfplugin6.Diagnostic.Builder proto = Tfplugin6.Diagnostic.newBuilder()
                .setSeverity(
                        diagnostic.isError()
                                ? Tfplugin6.Diagnostic.Severity.ERROR
                                : Tfplugin6.Diagnostic.Severity.WARNING)
                .setSummary(diagnostic.summary())
                .setDetail(diagnostic.detail());
        if (diagnostic.attribute() != null && !diagnostic.attribute().isRoot()) {
            proto.setAttribute(toProto(diagnostic.attribute()));
        }
        return proto.build();
    }

    public static Tfplugin6.AttributePath toProto(CtyPath path) {
        Tfplugin6.AttributePath.Builder proto = Tfplugin6.AttributePath.newBuilder();
        for (CtyPath.Step step : path.steps()) {
            Tfplugin6.AttributePath.Step.Builder protoStep = Tfplugin6.AttributePath.Step.newBuilder();
            if (step instanceof CtyPath.AttributeStep attribute) {
                protoStep.setAttributeName(attribute.name());
            } else if (step instanceof CtyPath.IndexStep index) {
                protoStep.setElementKeyInt(index.index());
            } else {
                protoStep.setElementKeyString(((CtyPath.KeyStep) step).key());
            }
            proto.addSteps(protoStep);
        }
        return proto.build();
    }

    public static List<Tfplugin6.Diagnostic> error(String summary, String detail) {
        return List.of(toProto(Diagnostic.error(summary, detail)));
    }
}
