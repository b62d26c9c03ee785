package com.foundrydb.bridge.cty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The msgpack form of values, the one Terraform uses in DynamicValue: objects and maps are
 * msgpack maps, lists/sets/tuples arrays, null is nil, an unknown is any extension value
 * (code 0 plain, code 12 with refinements), numbers are ints, floats or decimal strings, and a
 * value in a dynamic position is a two-element array [type JSON as bytes, value].
 */
public final class CtyMsgpack {

    /** Terraform's extension code for an unknown value carrying refinements. */
    static final byte REFINED_UNKNOWN = 12;

    private CtyMsgpack() {}

    public static byte[] encode(CtyValue value, CtyType type) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(value, type, packer, CtyPath.root());
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CtyValue decode(byte[] bytes, CtyType type) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            CtyValue value = read(unpacker, type, CtyPath.root());
            if (unpacker.hasNext()) {
                throw new CtyDecodeException("extra bytes after the value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CtyDecodeException decode) {
                throw decode;
            }
            throw new CtyDecodeException("invalid msgpack value: " + e.getMessage(), e);
        }
    }

    private static void write(CtyValue value, CtyType type, MessagePacker packer, CtyPath path) throws IOException {
        if (type == CtyType.DYNAMIC && value.type() != CtyType.DYNAMIC) {
            // The reader cannot know the type from the schema, so it travels with the value.
            byte[] typeJson = CtyTypeJson.toJson(value.type());
            packer.packArrayHeader(2);
            packer.packBinaryHeader(typeJson.length);
            packer.writePayload(typeJson);
            write(value, value.type(), packer, path);
            return;
        }
        if (!value.isKnown()) {
            CtyValue.UnknownRefinement refinement = value.refinement();
            byte[] payload = refinement.payload();
            packer.packExtensionTypeHeader(refinement.extensionCode(), payload.length);
            packer.writePayload(payload);
            return;
        }
        if (value.isNull()) {
            packer.packNil();
            return;
        }
        if (!type.equals(value.type())) {
            throw new IllegalArgumentException(
                    "at " + describe(path) + ": value of type " + value.type() + " where " + type + " is expected");
        }
        if (type == CtyType.STRING) {
            packer.packString(value.asString());
        } else if (type == CtyType.NUMBER) {
            writeNumber(value.asNumber(), packer);
        } else if (type == CtyType.BOOL) {
            packer.packBoolean(value.asBool());
        } else if (type instanceof CtyType.ListType || type instanceof CtyType.SetType) {
            List<CtyValue> elements = value.elements();
            packer.packArrayHeader(elements.size());
            for (int i = 0; i < elements.size(); i++) {
                write(elements.get(i), type.elementType(), packer, path.index(i));
            }
        } else if (type instanceof CtyType.TupleType tuple) {
            List<CtyValue> elements = value.elements();
            packer.packArrayHeader(elements.size());
            for (int i = 0; i < elements.size(); i++) {
                write(elements.get(i), tuple.elements().get(i), packer, path.index(i));
            }
        } else if (type instanceof CtyType.MapType map) {
            packer.packMapHeader(value.entries().size());
            for (Map.Entry<String, CtyValue> entry : value.entries().entrySet()) {
                packer.packString(entry.getKey());
                write(entry.getValue(), map.element(), packer, path.key(entry.getKey()));
            }
        } else {
            CtyType.ObjectType object = (CtyType.ObjectType) type;
            packer.packMapHeader(object.attributes().size());
            for (Map.Entry<String, CtyType> attribute : object.attributes().entrySet()) {
                packer.packString(attribute.getKey());
                write(
                        value.entries().get(attribute.getKey()),
                        attribute.getValue(),
                        packer,
                        path.attr(attribute.getKey()));
            }
        }
    }

    /**
     * Integers that fit in 64 bits go as ints, values a double holds exactly as floats, and
     * everything else as a decimal string, which Terraform reads without loss.
     */
    private static void writeNumber(BigDecimal number, MessagePacker packer) throws IOException {
        BigDecimal stripped = number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
            BigInteger integer = stripped.toBigIntegerExact();
            if (integer.bitLength() <= 63) {
                packer.packLong(integer.longValue());
                return;
            }
        }
        double asDouble = stripped.doubleValue();
        if (Double.isFinite(asDouble) && new BigDecimal(asDouble).compareTo(stripped) == 0) {
            packer.packDouble(asDouble);
            return;
        }
        packer.packString(stripped.toPlainString());
    }

    private static CtyValue read(MessageUnpacker unpacker, CtyType type, CtyPath path) throws IOException {
        MessageFormat format = unpacker.getNextFormat();
        if (format.getValueType() == ValueType.EXTENSION) {
            return readUnknown(unpacker, type);
        }
        if (type == CtyType.DYNAMIC) {
            return readDynamic(unpacker, path);
        }
        if (format == MessageFormat.NIL) {
            unpacker.unpackNil();
            return CtyValue.nullOf(type);
        }
        if (type == CtyType.STRING) {
            return CtyValue.string(readString(unpacker, format, path));
        }
        if (type == CtyType.NUMBER) {
            return CtyValue.number(readNumber(unpacker, format, path));
        }
        if (type == CtyType.BOOL) {
            if (format.getValueType() != ValueType.BOOLEAN) {
                throw mismatch(path, "bool", format);
            }
            return CtyValue.bool(unpacker.unpackBoolean());
        }
        if (type instanceof CtyType.ListType || type instanceof CtyType.SetType) {
            int size = arrayHeader(unpacker, format, path);
            List<CtyValue> elements = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                elements.add(read(unpacker, type.elementType(), path.index(i)));
            }
            return type instanceof CtyType.ListType
                    ? CtyValue.list(type.elementType(), elements)
                    : CtyValue.set(type.elementType(), elements);
        }
        if (type instanceof CtyType.TupleType tuple) {
            int size = arrayHeader(unpacker, format, path);
            if (size != tuple.elements().size()) {
                throw new CtyDecodeException("at " + describe(path) + ": tuple of "
                        + tuple.elements().size() + " elements has " + size);
            }
            List<CtyValue> elements = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                elements.add(read(unpacker, tuple.elements().get(i), path.index(i)));
            }
            return CtyValue.tuple(elements);
        }
        if (type instanceof CtyType.MapType map) {
            int size = mapHeader(unpacker, format, path);
            Map<String, CtyValue> entries = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                String key = readString(unpacker, unpacker.getNextFormat(), path);
                entries.put(key, read(unpacker, map.element(), path.key(key)));
            }
            return CtyValue.map(map.element(), entries);
        }
        CtyType.ObjectType object = (CtyType.ObjectType) type;
        int size = mapHeader(unpacker, format, path);
        Map<String, CtyValue> attributes = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String name = readString(unpacker, unpacker.getNextFormat(), path);
            if (!object.hasAttribute(name)) {
                throw new CtyDecodeException("at " + describe(path) + ": unsupported attribute \"" + name + "\"");
            }
            attributes.put(name, read(unpacker, object.attributeType(name), path.attr(name)));
        }
        return CtyValue.object(object, attributes);
    }

    private static CtyValue readUnknown(MessageUnpacker unpacker, CtyType type) throws IOException {
        var header = unpacker.unpackExtensionTypeHeader();
        byte[] payload = unpacker.readPayload(header.getLength());
        // Refinements are kept verbatim only under the code that defines them; any other
        // extension is a plain unknown whose payload means nothing.
        if (header.getType() == REFINED_UNKNOWN && payload.length > 0) {
            return CtyValue.unknownOf(type, new CtyValue.UnknownRefinement(REFINED_UNKNOWN, payload));
        }
        return CtyValue.unknownOf(type);
    }

    private static CtyValue readDynamic(MessageUnpacker unpacker, CtyPath path) throws IOException {
        MessageFormat format = unpacker.getNextFormat();
        if (format == MessageFormat.NIL) {
            unpacker.unpackNil();
            return CtyValue.nullOf(CtyType.DYNAMIC);
        }
        int size = arrayHeader(unpacker, format, path);
        if (size != 2) {
            throw new CtyDecodeException(
                    "at " + describe(path) + ": a dynamic value is [type, value], got " + size + " elements");
        }
        MessageFormat typeFormat = unpacker.getNextFormat();
        byte[] typeJson;
        if (typeFormat.getValueType() == ValueType.BINARY) {
            typeJson = unpacker.readPayload(unpacker.unpackBinaryHeader());
        } else if (typeFormat.getValueType() == ValueType.STRING) {
            typeJson = unpacker.unpackString().getBytes(StandardCharsets.UTF_8);
        } else {
            throw mismatch(path, "type JSON bytes", typeFormat);
        }
        return read(unpacker, CtyTypeJson.parse(typeJson), path);
    }

    private static String readString(MessageUnpacker unpacker, MessageFormat format, CtyPath path) throws IOException {
        if (format.getValueType() == ValueType.STRING) {
            return unpacker.unpackString();
        }
        if (format.getValueType() == ValueType.BINARY) {
            return new String(unpacker.readPayload(unpacker.unpackBinaryHeader()), StandardCharsets.UTF_8);
        }
        throw mismatch(path, "string", format);
    }

    private static BigDecimal readNumber(MessageUnpacker unpacker, MessageFormat format, CtyPath path)
            throws IOException {
        switch (format.getValueType()) {
            case INTEGER:
                return format == MessageFormat.UINT64
                        ? new BigDecimal(unpacker.unpackBigInteger())
                        : BigDecimal.valueOf(unpacker.unpackLong());
            case FLOAT:
                double value = unpacker.unpackDouble();
                if (!Double.isFinite(value)) {
                    throw new CtyDecodeException("at " + describe(path) + ": number " + value + " is not finite");
                }
                // Terraform sends a float only when the float is the exact value.
                return new BigDecimal(value);
            case STRING:
                String text = unpacker.unpackString();
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new CtyDecodeException("at " + describe(path) + ": \"" + text + "\" is not a number");
                }
            default:
                throw mismatch(path, "number", format);
        }
    }

    private static int arrayHeader(MessageUnpacker unpacker, MessageFormat format, CtyPath path) throws IOException {
        if (format.getValueType() != ValueType.ARRAY) {
            throw mismatch(path, "array", format);
        }
        return unpacker.unpackArrayHeader();
    }

    private static int mapHeader(MessageUnpacker unpacker, MessageFormat format, CtyPath path) throws IOException {
        if (format.getValueType() != ValueType.MAP) {
            throw mismatch(path, "map", format);
        }
        return unpacker.unpackMapHeader();
    }

    private static CtyDecodeException mismatch(CtyPath path, String expected, MessageFormat found) {
        return new CtyDecodeException("at " + describe(path) + ": expected " + expected + ", found msgpack "
                + found.getValueType().name().toLowerCase());
    }

    static String describe(CtyPath path) {
        return path.isRoot() ? "the top level" : path.toString();
    }
}
