package com.foundrydb.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.foundrydb.bridge.resource.PipelineSchema;
import org.junit.jupiter.api.Test;

class DescriptionKindTest {

    @Test
    void markdownSyntaxMakesADescriptionMarkdown() {
        assertThat(DescriptionKind.of("`running` (default) or `stopped`.")).isEqualTo(DescriptionKind.MARKDOWN);
        assertThat(DescriptionKind.of("Read this **before** you rely on it.")).isEqualTo(DescriptionKind.MARKDOWN);
        assertThat(DescriptionKind.of("only what *had reached* the standby")).isEqualTo(DescriptionKind.MARKDOWN);
        assertThat(DescriptionKind.of("See [the guide](guides/drift.md).")).isEqualTo(DescriptionKind.MARKDOWN);
        assertThat(DescriptionKind.of("Either:\n- one\n- two")).isEqualTo(DescriptionKind.MARKDOWN);
    }

    @Test
    void plainTextStaysPlain() {
        assertThat(DescriptionKind.of("Name of the pipeline, unique within the agent."))
                .isEqualTo(DescriptionKind.PLAIN);
        assertThat(DescriptionKind.of("Hosts as host:port (pl_0123, svc_shop_postgres)."))
                .isEqualTo(DescriptionKind.PLAIN);
        assertThat(DescriptionKind.of("3 * 4 - 2 bytes")).isEqualTo(DescriptionKind.PLAIN);
        assertThat(DescriptionKind.of(null)).isEqualTo(DescriptionKind.PLAIN);
    }

    @Test
    void theSchemaTerraformReceivesCarriesTheKind() {
        Tfplugin6.Schema.Block block =
                SchemaProtos.toProto(PipelineSchema.SCHEMA).getBlock();
        assertThat(block.getDescriptionKind()).isEqualTo(Tfplugin6.StringKind.MARKDOWN);
        for (Tfplugin6.Schema.Attribute attribute : block.getAttributesList()) {
            Tfplugin6.StringKind expected = attribute.getDescription().contains("`")
                    ? Tfplugin6.StringKind.MARKDOWN
                    : Tfplugin6.StringKind.PLAIN;
            assertThat(attribute.getDescriptionKind()).as(attribute.getName()).isEqualTo(expected);
        }
        assertThat(block.getBlockTypes(0).getBlock().getAttributes(0).getDescriptionKind())
                .as("timeouts.create")
                .isEqualTo(Tfplugin6.StringKind.MARKDOWN);
    }
}
