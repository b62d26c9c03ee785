package com.foundrydb.bridge.cty;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Terraform's JSON notation for types, as used in schema attributes and dynamic values:
 * {@code "string"}, {@code ["list","string"]}, {@code ["object",{"a":"number"}]} (with an
 * optional third element listing optional attributes), {@code ["tuple",[...]]}, {@code "dynamic"}.
 */
public final class CtyTypeJson {

    static final JsonFactory JSON = new JsonFactory();

    private CtyTypeJson() {}

    public static byte[] toJson(CtyType type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            write(type, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String toJsonString(CtyType type) {
        return new String(toJson(type), StandardCharsets.UTF_8);
    }

    static void write(CtyType type, JsonGenerator generator) throws IOException {
        if (type instanceof CtyType.PrimitiveType primitive) {
            generator.writeString(primitive.jsonName());
        } else if (type instanceof CtyType.DynamicType) {
            generator.writeString("dynamic");
        } else if (type instanceof CtyType.ListType list) {
            writeKind("list", list.element(), generator);
        } else if (type instanceof CtyType.SetType set) {
            writeKind("set", set.element(), generator);
        } else if (type instanceof CtyType.MapType map) {
            writeKind("map", map.element(), generator);
        } else if (type instanceof CtyType.TupleType tuple) {
            generator.writeStartArray();
            generator.writeString("tuple");
            generator.writeStartArray();
            for (CtyType element : tuple.elements()) {
                write(element, generator);
            }
            generator.writeEndArray();
            generator.writeEndArray();
        } else {
            CtyType.ObjectType object = (CtyType.ObjectType) type;
            generator.writeStartArray();
            generator.writeString("object");
            generator.writeStartObject();
            for (Map.Entry<String, CtyType> attribute : object.attributes().entrySet()) {
                generator.writeFieldName(attribute.getKey());
                write(attribute.getValue(), generator);
            }
            generator.writeEndObject();
            if (!object.optional().isEmpty()) {
                generator.writeStartArray();
                for (String name : object.optional()) {
                    generator.writeString(name);
                }
                generator.writeEndArray();
            }
            generator.writeEndArray();
        }
    }

    private static void writeKind(String kind, CtyType element, JsonGenerator generator) throws IOException {
        generator.writeStartArray();
        generator.writeString(kind);
        write(element, generator);
        generator.writeEndArray();
    }

    public static CtyType parse(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            CtyType type = read(parser);
            if (parser.nextToken() != null) {
                throw new CtyDecodeException("trailing content after type");
            }
            return type;
        } catch (IOException e) {
            throw new CtyDecodeException("invalid type JSON: " + e.getMessage());
        }
    }

    public static CtyType parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the type that starts at the parser's current token. */
    static CtyType read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return switch (parser.getText()) {
                case "string" -> CtyType.STRING;
                case "number" -> CtyType.NUMBER;
                case "bool" -> CtyType.BOOL;
                case "dynamic" -> CtyType.DYNAMIC;
                default -> throw new CtyDecodeException("unknown primitive type \"" + parser.getText() + "\"");
            };
        }
        if (token != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.VALUE_STRING) {
            throw new CtyDecodeException("a type is a string or an array starting with its kind");
        }
        String kind = parser.getText();
        parser.nextToken();
        // Each kind reads through the closing bracket of the whole type.
        return switch (kind) {
            case "list" -> CtyType.list(readElementAndClose(parser));
            case "set" -> CtyType.set(readElementAndClose(parser));
            case "map" -> CtyType.map(readElementAndClose(parser));
            case "tuple" -> readTuple(parser);
            case "object" -> readObject(parser);
            default -> throw new CtyDecodeException("unknown type kind \"" + kind + "\"");
        };
    }

    private static CtyType readElementAndClose(JsonParser parser) throws IOException {
        CtyType element = read(parser);
        expectClose(parser.nextToken());
        return element;
    }

    private static void expectClose(JsonToken token) {
        if (token != JsonToken.END_ARRAY) {
            throw new CtyDecodeException("unexpected content at the end of a type");
        }
    }

    private static CtyType readTuple(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new CtyDecodeException("tuple element types must be an array");
        }
        List<CtyType> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            elements.add(read(parser));
        }
        expectClose(parser.nextToken());
        return CtyType.tuple(elements);
    }

    /** Reads the attribute types and, when present, the list of optional attributes. */
    private static CtyType readObject(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new CtyDecodeException("object attribute types must be an object");
        }
        Map<String, CtyType> attributes = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            attributes.put(name, read(parser));
        }
        Set<String> optional = new LinkedHashSet<>();
        JsonToken next = parser.nextToken();
        if (next == JsonToken.START_ARRAY) {
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
                optional.add(parser.getText());
            }
            next = parser.nextToken();
        }
        expectClose(next);
        return new CtyType.ObjectType(attributes, optional);
    }
}
