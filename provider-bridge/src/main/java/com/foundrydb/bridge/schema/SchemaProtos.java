package com.foundrydb.bridge.schema;

import com.foundrydb.bridge.cty.CtyTypeJson;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.google.protobuf.ByteString;

/** Our schema model as tfplugin6 Schema messages. */
public final class SchemaProtos {

    private SchemaProtos() {}

    public static Tfplugin6.Schema toProto(Schema schema) {
        return Tfplugin6.Schema.newBuilder()
                .setVersion(schema.version())
                .setBlock(toProto(schema.block(), schema.version()))
                .build();
    }

    static Tfplugin6.Schema.Block toProto(Block block, long version) {
        Tfplugin6.Schema.Block.Builder proto = Tfplugin6.Schema.Block.newBuilder()
                .setVersion(version)
                .setDescription(block.description() == null ? "" : block.description())
                .setDescriptionKind(kind(block.description()));
        for (Attribute attribute : block.attributes()) {
            proto.addAttributes(toProto(attribute));
        }
        for (NestedBlock nested : block.blockTypes()) {
            proto.addBlockTypes(Tfplugin6.Schema.NestedBlock.newBuilder()
                    .setTypeName(nested.typeName())
                    .setBlock(toProto(nested.block(), version))
                    .setNesting(Tfplugin6.Schema.NestedBlock.NestingMode.valueOf(
                            nested.nesting().name()))
                    .setMinItems(nested.minItems())
                    .setMaxItems(nested.maxItems()));
        }
        return proto.build();
    }

    private static Tfplugin6.StringKind kind(String description) {
        return DescriptionKind.of(description) == DescriptionKind.MARKDOWN
                ? Tfplugin6.StringKind.MARKDOWN
                : Tfplugin6.StringKind.PLAIN;
    }

    static Tfplugin6.Schema.Attribute toProto(Attribute attribute) {
        Tfplugin6.Schema.Attribute.Builder proto = Tfplugin6.Schema.Attribute.newBuilder()
                .setName(attribute.name())
                .setDescription(attribute.description())
                .setDescriptionKind(kind(attribute.description()))
                .setRequired(attribute.required())
                .setOptional(attribute.optional())
                .setComputed(attribute.computed())
                .setSensitive(attribute.sensitive())
                .setWriteOnly(attribute.writeOnly())
                .setDeprecated(attribute.deprecated());
        if (attribute.nested() != null) {
            Tfplugin6.Schema.Object.Builder object = Tfplugin6.Schema.Object.newBuilder()
                    .setNesting(Tfplugin6.Schema.Object.NestingMode.valueOf(
                            attribute.nested().nesting().name()));
            for (Attribute nested : attribute.nested().attributes()) {
                object.addAttributes(toProto(nested));
            }
            proto.setNestedType(object);
        } else {
            proto.setType(ByteString.copyFrom(CtyTypeJson.toJson(attribute.declaredType())));
        }
        return proto.build();
    }
}
