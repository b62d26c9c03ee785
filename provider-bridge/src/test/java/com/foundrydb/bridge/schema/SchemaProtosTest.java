package com.foundrydb.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyTypeJson;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.foundrydb.bridge.provider.FoundryDbProvider;
import com.foundrydb.bridge.resource.PipelineSchema;
import com.foundrydb.bridge.resource.ServiceDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaProtosTest {

    private static Tfplugin6.Schema.Attribute attribute(Tfplugin6.Schema.Block block, String name) {
        return block.getAttributesList().stream()
                .filter(a -> a.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void pipelineAttributesCarryTheirFlagsAndTypes() {
        Tfplugin6.Schema proto = SchemaProtos.toProto(PipelineSchema.SCHEMA);
        Tfplugin6.Schema.Block block = proto.getBlock();

        Tfplugin6.Schema.Attribute name = attribute(block, "name");
        assertThat(name.getRequired()).isTrue();
        assertThat(name.getOptional() || name.getComputed()).isFalse();
        assertThat(name.getType().toStringUtf8()).isEqualTo("\"string\"");

        Tfplugin6.Schema.Attribute desired = attribute(block, "desired_state");
        assertThat(desired.getOptional() && desired.getComputed()).isTrue();

        Tfplugin6.Schema.Attribute id = attribute(block, "id");
        assertThat(id.getComputed()).isTrue();
        assertThat(id.getOptional() || id.getRequired()).isFalse();

        assertThat(attribute(block, "lag_bytes").getType().toStringUtf8()).isEqualTo("\"number\"");
        assertThat(attribute(block, "topics").getType().toStringUtf8()).isEqualTo("[\"list\",\"string\"]");
    }

    @Test
    void configIsASingleNestedAttributeWithoutAType() {
        Tfplugin6.Schema.Attribute config =
                attribute(SchemaProtos.toProto(PipelineSchema.SCHEMA).getBlock(), "config");
        assertThat(config.getType().isEmpty()).isTrue();
        assertThat(config.getRequired()).isTrue();
        assertThat(config.getNestedType().getNesting()).isEqualTo(Tfplugin6.Schema.Object.NestingMode.SINGLE);
        Tfplugin6.Schema.Attribute snapshot = config.getNestedType().getAttributesList().stream()
                .filter(a -> a.getName().equals("snapshot_mode"))
                .findFirst()
                .orElseThrow();
        assertThat(snapshot.getOptional() && snapshot.getComputed()).isTrue();
    }

    @Test
    void timeoutsIsASingleBlockOfOptionalStrings() {
        Tfplugin6.Schema.Block block =
                SchemaProtos.toProto(PipelineSchema.SCHEMA).getBlock();
        assertThat(block.getBlockTypesList()).hasSize(1);
        Tfplugin6.Schema.NestedBlock timeouts = block.getBlockTypes(0);
        assertThat(timeouts.getTypeName()).isEqualTo("timeouts");
        assertThat(timeouts.getNesting()).isEqualTo(Tfplugin6.Schema.NestedBlock.NestingMode.SINGLE);
        assertThat(timeouts.getBlock().getAttributesList())
                .extracting(Tfplugin6.Schema.Attribute::getName)
                .containsExactly("create", "update", "delete");
        assertThat(timeouts.getBlock().getAttributesList()).allMatch(Tfplugin6.Schema.Attribute::getOptional);
    }

    @Test
    void tokenIsSensitive() {
        Tfplugin6.Schema.Attribute token =
                attribute(SchemaProtos.toProto(FoundryDbProvider.SCHEMA).getBlock(), "token");
        assertThat(token.getSensitive()).isTrue();
        assertThat(token.getOptional()).isTrue();
    }

    @Test
    void everyAttributeEverywhereHasADescription() {
        List<Tfplugin6.Schema.Attribute> all = new ArrayList<>();
        for (Schema schema : List.of(PipelineSchema.SCHEMA, ServiceDataSource.SCHEMA, FoundryDbProvider.SCHEMA)) {
            collect(SchemaProtos.toProto(schema).getBlock(), all);
        }
        assertThat(all).hasSizeGreaterThan(25);
        assertThat(all)
                .allSatisfy(a -> assertThat(a.getDescription()).as(a.getName()).isNotBlank());
    }

    private static void collect(Tfplugin6.Schema.Block block, List<Tfplugin6.Schema.Attribute> into) {
        for (Tfplugin6.Schema.Attribute attribute : block.getAttributesList()) {
            into.add(attribute);
            into.addAll(attribute.getNestedType().getAttributesList());
        }
        for (Tfplugin6.Schema.NestedBlock nested : block.getBlockTypesList()) {
            collect(nested.getBlock(), into);
        }
    }

    @Test
    void impliedTypeMatchesWhatTheProtoDescribes() {
        CtyType.ObjectType type = PipelineSchema.SCHEMA.impliedType();
        assertThat(type.attributeType("config"))
                .isEqualTo(CtyType.object(Map.of(
                        "tables", CtyType.list(CtyType.STRING),
                        "topic_prefix", CtyType.STRING,
                        "snapshot_mode", CtyType.STRING)));
        assertThat(type.attributeType("timeouts"))
                .isEqualTo(CtyType.object(
                        Map.of("create", CtyType.STRING, "update", CtyType.STRING, "delete", CtyType.STRING)));
        for (Tfplugin6.Schema.Attribute attribute :
                SchemaProtos.toProto(PipelineSchema.SCHEMA).getBlock().getAttributesList()) {
            if (!attribute.getType().isEmpty()) {
                assertThat(CtyTypeJson.parse(attribute.getType().toByteArray()))
                        .isEqualTo(type.attributeType(attribute.getName()));
            }
        }
    }
}
