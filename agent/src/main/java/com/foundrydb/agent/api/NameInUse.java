package com.foundrydb.agent.api;

import com.foundrydb.agent.store.PipelineRecord;

/**
 * The 409 of a create whose name another pipeline has: it names that pipeline's id, and how to
 * manage it from Terraform (import it) rather than create it again.
 */
final class NameInUse {
    private NameInUse() {}

    static ApiException of(PipelineRecord existing) {
        String name = existing.spec().name();
        return new ApiException(
                409,
                "conflict",
                "a pipeline named " + name + " already exists: " + existing.id(),
                "name",
                "choose another name, or manage the existing pipeline with Terraform: terraform import"
                        + " foundrydb_pipeline." + resourceName(name) + " " + existing.id());
    }

    /** A Terraform resource name for the pipeline: its name with what Terraform does not allow as '_'. */
    static String resourceName(String pipelineName) {
        String s = pipelineName.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isLetter(s.charAt(0)) || s.charAt(0) == '_' ? s : "_" + s;
    }
}
