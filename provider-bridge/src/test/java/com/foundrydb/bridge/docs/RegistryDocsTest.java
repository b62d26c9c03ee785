package com.foundrydb.bridge.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/ holds exactly what {@link RegistryDocs} makes of the current schema and examples/: a
 * schema or example change without regenerated docs fails the build, with the command that
 * regenerates them. Run with {@code -Dfoundrydb.docs.write=true}, the test writes the pages
 * instead (and removes pages of types that no longer exist).
 */
class RegistryDocsTest {

    static final String REGENERATE = "mvn -B -ntp -q -pl provider-bridge -am test -Dtest=RegistryDocsTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dfoundrydb.docs.write=true";

    private static final Path DOCS = Path.of(System.getProperty("foundrydb.docs"));
    private static final Path EXAMPLES = Path.of(System.getProperty("foundrydb.examples"));

    private final Tfplugin6.GetProviderSchema.Response schema = RegistryDocs.providerSchema();
    private final Map<String, String> pages = new RegistryDocs(schema, EXAMPLES).pages();

    @Test
    void committedDocsAreWhatTheSchemaAndExamplesMake() throws IOException {
        List<String> generatedDirs = List.of("resources", "data-sources");
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = DOCS.resolve(page.getKey());
            if (!Files.exists(file) || !Files.readString(file).equals(page.getValue())) {
                stale.add(page.getKey());
            }
        }
        List<Path> orphans = new ArrayList<>();
        for (String dir : generatedDirs) {
            if (Files.isDirectory(DOCS.resolve(dir))) {
                try (Stream<Path> files = Files.list(DOCS.resolve(dir))) {
                    files.filter(f -> !pages.containsKey(dir + "/" + f.getFileName()))
                            .forEach(orphans::add);
                }
            }
        }
        if (Boolean.getBoolean("foundrydb.docs.write")) {
            for (String page : stale) {
                Files.createDirectories(DOCS.resolve(page).getParent());
                Files.writeString(DOCS.resolve(page), pages.get(page));
                System.out.println("wrote docs/" + page);
            }
            for (Path orphan : orphans) {
                Files.delete(orphan);
                System.out.println("removed docs/" + DOCS.relativize(orphan));
            }
            return;
        }
        if (!stale.isEmpty() || !orphans.isEmpty()) {
            fail("docs/ is out of date with the provider's schema or examples/ (stale: " + stale + ", no longer "
                    + "generated: " + orphans.stream().map(DOCS::relativize).toList() + "). Regenerate it with:\n  "
                    + REGENERATE);
        }
    }

    @Test
    void everyAttributeAndBlockOfEveryTypeIsDocumented() {
        assertDocumented(pages.get("index.md"), schema.getProvider().getBlock());
        schema.getResourceSchemasMap()
                .forEach((type, s) -> assertDocumented(
                        pages.get("resources/" + type.substring("foundrydb_".length()) + ".md"), s.getBlock()));
        schema.getDataSourceSchemasMap()
                .forEach((type, s) -> assertDocumented(
                        pages.get("data-sources/" + type.substring("foundrydb_".length()) + ".md"), s.getBlock()));
    }

    private static void assertDocumented(String page, Tfplugin6.Schema.Block block) {
        assertThat(page).isNotNull();
        for (Tfplugin6.Schema.Attribute attribute : block.getAttributesList()) {
            assertThat(page).contains("- `" + attribute.getName() + "` (").contains(attribute.getDescription());
            for (Tfplugin6.Schema.Attribute nested : attribute.getNestedType().getAttributesList()) {
                assertThat(page)
                        .contains("### Nested Schema for `" + attribute.getName() + "`")
                        .contains("- `" + nested.getName() + "` (")
                        .contains(nested.getDescription());
            }
        }
        for (Tfplugin6.Schema.NestedBlock nested : block.getBlockTypesList()) {
            assertThat(page)
                    .contains("- `" + nested.getTypeName() + "` (Block")
                    .contains("### Nested Schema for `" + nested.getTypeName() + "`");
            assertDocumented(page, nested.getBlock());
        }
    }

    @Test
    void pagesFollowTheRegistryLayout() {
        assertThat(pages).containsKeys("index.md", "resources/pipeline.md", "data-sources/service.md");
        pages.forEach((path, page) -> {
            assertThat(page)
                    .as(path)
                    .startsWith("---\npage_title: \"")
                    .contains("\nsubcategory: ")
                    .contains("\ndescription: |-\n  ")
                    .contains("## Example Usage\n\n```terraform\n")
                    .contains("## Schema");
        });
        String pipeline = pages.get("resources/pipeline.md");
        assertThat(pipeline)
                .contains(
                        "# foundrydb_pipeline (Resource)",
                        "### Required",
                        "### Optional",
                        "### Read-Only",
                        "- `config` (Attributes)",
                        "- `timeouts` (Block, Optional)",
                        "- `topics` (List of String)",
                        "- `hba_entries` (Map of Boolean)",
                        "## Import",
                        "terraform import foundrydb_pipeline.");
        // Read-only attributes are listed after the configurable ones.
        assertThat(pipeline.indexOf("### Read-Only")).isGreaterThan(pipeline.indexOf("### Optional"));
        assertThat(pages.get("index.md")).contains("- `token` (String, Sensitive)", "version = \"~>");
    }

    @Test
    void typesReadAsTheRegistryWritesThem() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertThat(RegistryDocs.ctyTypeName(json.readTree("\"string\""))).isEqualTo("String");
        assertThat(RegistryDocs.ctyTypeName(json.readTree("[\"list\",\"string\"]")))
                .isEqualTo("List of String");
        assertThat(RegistryDocs.ctyTypeName(json.readTree("[\"map\",\"bool\"]")))
                .isEqualTo("Map of Boolean");
        assertThat(RegistryDocs.ctyTypeName(json.readTree("[\"set\",[\"list\",\"number\"]]")))
                .isEqualTo("Set of List of Number");
    }

    /** The guides are written by hand; the registry still needs their frontmatter. */
    @Test
    void everyGuideHasRegistryFrontmatter() throws IOException {
        try (Stream<Path> guides = Files.list(DOCS.resolve("guides"))) {
            for (Path guide : guides.filter(p -> p.toString().endsWith(".md")).toList()) {
                String text = Files.readString(guide);
                assertThat(text).as(guide + " opens with registry frontmatter").startsWith("---\n");
                String frontmatter = text.substring(4, text.indexOf("\n---\n", 4) + 1);
                assertThat(frontmatter)
                        .as(guide.toString())
                        .containsPattern("(?m)^page_title: \"[^\"]+\"$")
                        .containsPattern("(?m)^subcategory: \"[^\"]*\"$")
                        .containsPattern("(?m)^description: \\|-\\n  \\S");
            }
        }
    }
}
