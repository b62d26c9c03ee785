package com.foundrydb.bridge.cty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A type of Terraform's value system (HashiCorp's "cty"): the types a schema attribute can
 * declare, and the types that a DynamicPseudoType position carries at run time.
 */
public sealed interface CtyType
        permits CtyType.PrimitiveType,
                CtyType.DynamicType,
                CtyType.ListType,
                CtyType.SetType,
                CtyType.MapType,
                CtyType.ObjectType,
                CtyType.TupleType {

    CtyType STRING = PrimitiveType.STRING;
    CtyType NUMBER = PrimitiveType.NUMBER;
    CtyType BOOL = PrimitiveType.BOOL;
    /** "Any type, decided at run time": values in such a position travel with their type. */
    CtyType DYNAMIC = DynamicType.DYNAMIC;

    static ListType list(CtyType element) {
        return new ListType(element);
    }

    static SetType set(CtyType element) {
        return new SetType(element);
    }

    static MapType map(CtyType element) {
        return new MapType(element);
    }

    static TupleType tuple(List<CtyType> elements) {
        return new TupleType(elements);
    }

    static ObjectType object(Map<String, CtyType> attributes) {
        return new ObjectType(attributes, Set.of());
    }

    /** The element type of a list, set or map; fails for any other type. */
    default CtyType elementType() {
        throw new IllegalStateException(this + " has no element type");
    }

    enum PrimitiveType implements CtyType {
        STRING("string"),
        NUMBER("number"),
        BOOL("bool");

        private final String jsonName;

        PrimitiveType(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The name Terraform uses for this type in its JSON type notation. */
        public String jsonName() {
            return jsonName;
        }

        @Override
        public String toString() {
            return jsonName;
        }
    }

    enum DynamicType implements CtyType {
        DYNAMIC;

        @Override
        public String toString() {
            return "dynamic";
        }
    }

    record ListType(CtyType element) implements CtyType {
        public ListType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public CtyType elementType() {
            return element;
        }

        @Override
        public String toString() {
            return "list(" + element + ")";
        }
    }

    record SetType(CtyType element) implements CtyType {
        public SetType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public CtyType elementType() {
            return element;
        }

        @Override
        public String toString() {
            return "set(" + element + ")";
        }
    }

    record MapType(CtyType element) implements CtyType {
        public MapType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public CtyType elementType() {
            return element;
        }

        @Override
        public String toString() {
            return "map(" + element + ")";
        }
    }

    /**
     * An object type. {@code optional} names attributes declared optional in a type constraint
     * (Terraform writes them as a third element of the JSON type); values never differ by it.
     */
    record ObjectType(Map<String, CtyType> attributes, Set<String> optional) implements CtyType {
        public ObjectType {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            optional = Collections.unmodifiableSet(new LinkedHashSet<>(optional));
        }

        public CtyType attributeType(String name) {
            CtyType type = attributes.get(name);
            if (type == null) {
                throw new IllegalArgumentException("object type has no attribute \"" + name + "\"");
            }
            return type;
        }

        public boolean hasAttribute(String name) {
            return attributes.containsKey(name);
        }

        @Override
        public String toString() {
            return "object(" + attributes + ")";
        }
    }

    record TupleType(List<CtyType> elements) implements CtyType {
        public TupleType {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return "tuple(" + elements + ")";
        }
    }
}
