package com.foundrydb.agent.pipeline;

/**
 * One thing wrong with a request: a stable code, what is wrong, the field (a path such as
 * "config.tables[1]") and how to fix it. An error answer carries these (ErrorAnswers), as does a validation.
 */
public record Problem(String code, String message, String field, String hint) {}
