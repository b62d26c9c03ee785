-- Idempotency-Key of POST /v1/pipelines: the pipeline each key created and a hash of the request
-- it came with, so that a retried create gets that pipeline back rather than a name clash. Rows
-- are written in the pipeline's own insert transaction and forgotten after 24 hours
-- (IdempotencyKeys.REMEMBERED); they stay when the pipeline is deleted, so a late retry is told so.
create table idempotency_key (
    key          text primary key,
    -- SHA-256 of the request's pipeline spec
    request_hash text not null,
    pipeline_id  text not null,
    created_at   timestamptz not null default now()
);
create index idempotency_key_created on idempotency_key (created_at);
