package com.foundrydb.bridge.schema;

import com.foundrydb.bridge.cty.CtyType;
import java.util.Objects;

/**
 * One attribute of a block: either of a plain {@code type}, or a {@code nested} object
 * (Terraform's nested attributes, protocol 6 only). Built with {@link #builder(String)}.
 */
public final class Attribute {

    private final String name;
    private final CtyType type;
    private final NestedAttributes nested;
    private final String description;
    private final boolean required;
    private final boolean optional;
    private final boolean computed;
    private final boolean sensitive;
    private final boolean writeOnly;
    private final boolean deprecated;

    private Attribute(Builder builder) {
        this.name = Objects.requireNonNull(builder.name, "name");
        this.type = builder.type;
        this.nested = builder.nested;
        this.description = Objects.requireNonNull(builder.description, "every attribute has a description: " + name);
        this.required = builder.required;
        this.optional = builder.optional;
        this.computed = builder.computed;
        this.sensitive = builder.sensitive;
        this.writeOnly = builder.writeOnly;
        this.deprecated = builder.deprecated;
        if ((type == null) == (nested == null)) {
            throw new IllegalArgumentException(name + ": an attribute has exactly one of type and nested");
        }
        if (required && (optional || computed)) {
            throw new IllegalArgumentException(name + ": required excludes optional and computed");
        }
        if (!required && !optional && !computed) {
            throw new IllegalArgumentException(name + ": an attribute is required, optional or computed");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The attribute's type, nested objects included. */
    public CtyType type() {
        return type != null ? type : nested.impliedType();
    }

    /** The declared primitive/collection type, or null for a nested attribute. */
    public CtyType declaredType() {
        return type;
    }

    public NestedAttributes nested() {
        return nested;
    }

    public String description() {
        return description;
    }

    public boolean required() {
        return required;
    }

    public boolean optional() {
        return optional;
    }

    public boolean computed() {
        return computed;
    }

    public boolean sensitive() {
        return sensitive;
    }

    public boolean writeOnly() {
        return writeOnly;
    }

    public boolean deprecated() {
        return deprecated;
    }

    /** Fluent construction; flags default to false. */
    public static final class Builder {
        private final String name;
        private CtyType type;
        private NestedAttributes nested;
        private String description;
        private boolean required;
        private boolean optional;
        private boolean computed;
        private boolean sensitive;
        private boolean writeOnly;
        private boolean deprecated;

        private Builder(String name) {
            this.name = name;
        }

        public Builder type(CtyType type) {
            this.type = type;
            return this;
        }

        public Builder nested(NestedAttributes nested) {
            this.nested = nested;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder required() {
            this.required = true;
            return this;
        }

        public Builder optional() {
            this.optional = true;
            return this;
        }

        public Builder computed() {
            this.computed = true;
            return this;
        }

        public Builder sensitive() {
            this.sensitive = true;
            return this;
        }

        public Builder writeOnly() {
            this.writeOnly = true;
            return this;
        }

        public Builder deprecated() {
            this.deprecated = true;
            return this;
        }

        public Attribute build() {
            return new Attribute(this);
        }
    }
}
