package com.foundrydb.bridge.cty;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of values: what Terraform stores in state files and hands to
 * UpgradeResourceState. JSON has no unknowns; a value in a dynamic position is an object
 * {@code {"value": ..., "type": ...}}. Numbers stay exact in both directions.
 *
 * <p>Decoding is lenient where state written by an older provider could differ from today's
 * schema: attributes the type no longer has are dropped (and reported to the caller), missing
 * ones become null, and primitives given as strings are converted the way Terraform does.
 */
public final class CtyJson {

    private CtyJson() {}

    public static byte[] encode(CtyValue value, CtyType type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = CtyTypeJson.JSON.createGenerator(out)) {
            generator.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            write(value, type, generator, CtyPath.root());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes {@code json} as a value of {@code type}, dropping attributes the type lacks. */
    public static CtyValue decode(byte[] json, CtyType type) {
        return decode(json, type, new ArrayList<>());
    }

    /**
     * Decodes {@code json} as a value of {@code type}; paths of attributes present in the JSON
     * but absent from the type are added to {@code droppedAttributes}.
     */
    public static CtyValue decode(byte[] json, CtyType type, List<CtyPath> droppedAttributes) {
        try (JsonParser parser = CtyTypeJson.JSON.createParser(json)) {
            if (parser.nextToken() == null) {
                throw new CtyDecodeException("empty JSON document");
            }
            CtyValue value = read(parser, type, CtyPath.root(), droppedAttributes);
            if (parser.nextToken() != null) {
                throw new CtyDecodeException("trailing content after the JSON value");
            }
            return value;
        } catch (IOException e) {
            throw new CtyDecodeException("invalid JSON value: " + e.getMessage(), e);
        }
    }

    private static void write(CtyValue value, CtyType type, JsonGenerator generator, CtyPath path) throws IOException {
        if (!value.isKnown()) {
            throw new IllegalArgumentException(
                    "at " + CtyMsgpack.describe(path) + ": unknown values cannot be written as JSON");
        }
        if (type == CtyType.DYNAMIC && value.type() != CtyType.DYNAMIC) {
            generator.writeStartObject();
            generator.writeFieldName("value");
            write(value, value.type(), generator, path);
            generator.writeFieldName("type");
            CtyTypeJson.write(value.type(), generator);
            generator.writeEndObject();
            return;
        }
        if (value.isNull()) {
            generator.writeNull();
            return;
        }
        if (type == CtyType.STRING) {
            generator.writeString(value.asString());
        } else if (type == CtyType.NUMBER) {
            generator.writeNumber(value.asNumber());
        } else if (type == CtyType.BOOL) {
            generator.writeBoolean(value.asBool());
        } else if (type instanceof CtyType.ListType
                || type instanceof CtyType.SetType
                || type instanceof CtyType.TupleType) {
            generator.writeStartArray();
            List<CtyValue> elements = value.elements();
            for (int i = 0; i < elements.size(); i++) {
                CtyType elementType = type instanceof CtyType.TupleType tuple
                        ? tuple.elements().get(i)
                        : type.elementType();
                write(elements.get(i), elementType, generator, path.index(i));
            }
            generator.writeEndArray();
        } else if (type instanceof CtyType.MapType map) {
            generator.writeStartObject();
            for (Map.Entry<String, CtyValue> entry : value.entries().entrySet()) {
                generator.writeFieldName(entry.getKey());
                write(entry.getValue(), map.element(), generator, path.key(entry.getKey()));
            }
            generator.writeEndObject();
        } else {
            CtyType.ObjectType object = (CtyType.ObjectType) type;
            generator.writeStartObject();
            for (Map.Entry<String, CtyType> attribute : object.attributes().entrySet()) {
                generator.writeFieldName(attribute.getKey());
                write(
                        value.entries().get(attribute.getKey()),
                        attribute.getValue(),
                        generator,
                        path.attr(attribute.getKey()));
            }
            generator.writeEndObject();
        }
    }

    private static CtyValue read(JsonParser parser, CtyType type, CtyPath path, List<CtyPath> dropped)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (type == CtyType.DYNAMIC) {
            return readDynamic(parser, path, dropped);
        }
        if (token == JsonToken.VALUE_NULL) {
            return CtyValue.nullOf(type);
        }
        if (type == CtyType.STRING) {
            if (token == JsonToken.VALUE_STRING
                    || token == JsonToken.VALUE_NUMBER_INT
                    || token == JsonToken.VALUE_NUMBER_FLOAT
                    || token == JsonToken.VALUE_TRUE
                    || token == JsonToken.VALUE_FALSE) {
                return CtyValue.string(parser.getText());
            }
            throw mismatch(path, "string", token);
        }
        if (type == CtyType.NUMBER) {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return CtyValue.number(new BigDecimal(parser.getText()));
            }
            if (token == JsonToken.VALUE_STRING) {
                try {
                    return CtyValue.number(new BigDecimal(parser.getText().trim()));
                } catch (NumberFormatException e) {
                    throw new CtyDecodeException(
                            "at " + CtyMsgpack.describe(path) + ": \"" + parser.getText() + "\" is not a number");
                }
            }
            throw mismatch(path, "number", token);
        }
        if (type == CtyType.BOOL) {
            if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                return CtyValue.bool(token == JsonToken.VALUE_TRUE);
            }
            if (token == JsonToken.VALUE_STRING
                    && ("true".equals(parser.getText()) || "false".equals(parser.getText()))) {
                return CtyValue.bool(Boolean.parseBoolean(parser.getText()));
            }
            throw mismatch(path, "bool", token);
        }
        if (type instanceof CtyType.ListType || type instanceof CtyType.SetType || type instanceof CtyType.TupleType) {
            if (token != JsonToken.START_ARRAY) {
                throw mismatch(path, "array", token);
            }
            List<CtyValue> elements = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                CtyType elementType;
                if (type instanceof CtyType.TupleType tuple) {
                    if (elements.size() >= tuple.elements().size()) {
                        throw new CtyDecodeException("at " + CtyMsgpack.describe(path) + ": too many tuple elements");
                    }
                    elementType = tuple.elements().get(elements.size());
                } else {
                    elementType = type.elementType();
                }
                elements.add(read(parser, elementType, path.index(elements.size()), dropped));
            }
            if (type instanceof CtyType.TupleType tuple) {
                if (elements.size() != tuple.elements().size()) {
                    throw new CtyDecodeException("at " + CtyMsgpack.describe(path) + ": tuple of "
                            + tuple.elements().size() + " elements has " + elements.size());
                }
                return CtyValue.tuple(elements);
            }
            return type instanceof CtyType.ListType
                    ? CtyValue.list(type.elementType(), elements)
                    : CtyValue.set(type.elementType(), elements);
        }
        if (token != JsonToken.START_OBJECT) {
            throw mismatch(path, "object", token);
        }
        Map<String, CtyValue> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (type instanceof CtyType.MapType map) {
                entries.put(name, read(parser, map.element(), path.key(name), dropped));
            } else if (((CtyType.ObjectType) type).hasAttribute(name)) {
                CtyType attributeType = ((CtyType.ObjectType) type).attributeType(name);
                entries.put(name, read(parser, attributeType, path.attr(name), dropped));
            } else {
                dropped.add(path.attr(name));
                parser.skipChildren();
            }
        }
        return type instanceof CtyType.MapType map
                ? CtyValue.map(map.element(), entries)
                : CtyValue.object((CtyType.ObjectType) type, entries);
    }

    private static CtyValue readDynamic(JsonParser parser, CtyPath path, List<CtyPath> dropped) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return CtyValue.nullOf(CtyType.DYNAMIC);
        }
        if (token != JsonToken.START_OBJECT) {
            throw mismatch(path, "{\"value\":...,\"type\":...}", token);
        }
        // "value" may come before "type": hold its tokens until the type is known.
        TokenBuffer valueTokens = null;
        CtyType valueType = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if ("type".equals(name)) {
                valueType = CtyTypeJson.read(parser);
            } else if ("value".equals(name)) {
                valueTokens = new TokenBuffer(parser);
                valueTokens.copyCurrentStructure(parser);
            } else {
                throw new CtyDecodeException(
                        "at " + CtyMsgpack.describe(path) + ": unexpected \"" + name + "\" in a dynamic value");
            }
        }
        if (valueTokens == null || valueType == null) {
            throw new CtyDecodeException(
                    "at " + CtyMsgpack.describe(path) + ": a dynamic value needs both " + "\"value\" and \"type\"");
        }
        try (JsonParser valueParser = valueTokens.asParser()) {
            valueParser.nextToken();
            return read(valueParser, valueType, path, dropped);
        }
    }

    private static CtyDecodeException mismatch(CtyPath path, String expected, JsonToken found) {
        return new CtyDecodeException("at " + CtyMsgpack.describe(path) + ": expected " + expected + ", found "
                + (found == null ? "end of input" : found.asString() == null ? found.name() : found.asString()));
    }
}
