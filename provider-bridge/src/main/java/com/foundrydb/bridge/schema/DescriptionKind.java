package com.foundrydb.bridge.schema;

import java.util.regex.Pattern;

/**
 * Whether a description is Markdown, read from its text: code spans, emphasis, links or list
 * items make it Markdown; anything else is plain. Decided here once, so no attribute can be
 * written in Markdown and announced as plain (or the reverse) to Terraform, language servers and
 * the registry documentation.
 */
public enum DescriptionKind {
    PLAIN,
    MARKDOWN;

    private static final Pattern MARKDOWN_SYNTAX = Pattern.compile(
            "`[^`]+`" // code span
                    + "|\\*\\*[^*]+\\*\\*" // strong emphasis
                    + "|(?<![\\w*])\\*[^*\\s][^*]*\\*(?![\\w*])" // emphasis
                    + "|\\[[^\\]]+\\]\\([^)]+\\)" // link
                    + "|(?m)^\\s*[-*] \\S"); // list item

    public static DescriptionKind of(String description) {
        return description != null && MARKDOWN_SYNTAX.matcher(description).find() ? MARKDOWN : PLAIN;
    }
}
