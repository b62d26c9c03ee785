package com.foundrydb.bridge.provider;

import com.foundrydb.bridge.cty.CtyJson;
import com.foundrydb.bridge.cty.CtyMsgpack;
import com.foundrydb.bridge.cty.CtyType;
import com.foundrydb.bridge.cty.CtyValue;
import com.foundrydb.bridge.proto.tfplugin6.Tfplugin6;
import com.google.protobuf.ByteString;

/** tfplugin6 DynamicValue to and from our values. We always answer in msgpack. */
public final class DynamicValues {

    private DynamicValues() {}

    /** msgpack when present, else JSON; an empty message is a null value. */
    public static CtyValue decode(Tfplugin6.DynamicValue value, CtyType type) {
        if (!value.getMsgpack().isEmpty()) {
            return CtyMsgpack.decode(value.getMsgpack().toByteArray(), type);
        }
        if (!value.getJson().isEmpty()) {
            return CtyJson.decode(value.getJson().toByteArray(), type);
        }
        return CtyValue.nullOf(type);
    }

    public static Tfplugin6.DynamicValue encode(CtyValue value, CtyType type) {
        return Tfplugin6.DynamicValue.newBuilder()
                .setMsgpack(ByteString.copyFrom(CtyMsgpack.encode(value, type)))
                .build();
    }
}
