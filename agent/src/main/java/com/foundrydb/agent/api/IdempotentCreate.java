package com.foundrydb.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.foundrydb.agent.Json;
import com.foundrydb.agent.pipeline.PipelineSpec;
import com.foundrydb.agent.store.IdempotencyKeys;
import com.foundrydb.agent.store.PipelineRecord;
import com.foundrydb.agent.store.Store;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A create sent with an Idempotency-Key header (as in the IETF's Idempotency-Key draft): a retry
 * with the same key and the same spec answers the pipeline the first request created, rather than
 * a name clash; the same key with another spec is refused. Keys are kept in the store
 * ({@link IdempotencyKeys}), so a retry may reach any agent on it.
 *
 * @param requestHash SHA-256 of the spec as parsed, so spacing and member order do not matter
 */
record IdempotentCreate(String key, String requestHash) {
    static final String HEADER = "Idempotency-Key";
    /** Visible ASCII, as a UUID or any client's token; it is echoed in messages, so nothing else. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** The request's key, if it sent one; 400 when the header is malformed. */
    static Optional<IdempotentCreate> of(String header, PipelineSpec spec) {
        if (header == null) {
            return Optional.empty();
        }
        if (!KEY.matcher(header).matches()) {
            throw new ApiException(
                    400,
                    "invalid_header",
                    "the " + HEADER + " header must be 1 to 255 visible ASCII" + " characters",
                    HEADER,
                    "send a new unique value for each new request, for example a UUID");
        }
        return Optional.of(new IdempotentCreate(header, hash(spec)));
    }

    /**
     * The pipeline this key created, when the key is remembered; 422 when it came with another spec,
     * or its pipeline has been deleted since.
     */
    Optional<PipelineRecord> earlier(IdempotencyKeys keys, Store store) throws Exception {
        Optional<IdempotencyKeys.Remembered> seen = keys.find(key);
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        String id = seen.get().pipelineId();
        if (!seen.get().requestHash().equals(requestHash)) {
            throw new ApiException(
                    422,
                    "idempotency_key_reused",
                    HEADER + " " + key + " was sent before with another" + " pipeline spec, which created pipeline "
                            + id,
                    HEADER,
                    "send the first request's body again to get pipeline " + id + ", or a new key for a new pipeline");
        }
        Optional<PipelineRecord> pipeline = store.get(id);
        if (pipeline.isEmpty()) {
            throw new ApiException(
                    422,
                    "idempotency_key_reused",
                    HEADER + " " + key + " created pipeline " + id + ", which has been deleted since",
                    HEADER,
                    "send a new key to create the pipeline again");
        }
        return pipeline;
    }

    private static String hash(PipelineSpec spec) {
        try {
            byte[] canonical = Json.MAPPER.writeValueAsBytes(spec);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
