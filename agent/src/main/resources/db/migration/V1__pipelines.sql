-- The agent's store: desired state of every pipeline, where its plan is, and what happened.

create table pipeline (
    id              text primary key,
    name            text not null unique,
    spec            jsonb not null,
    -- pending | provisioning | running | stopped | failed | deleting
    phase           text not null,
    -- the step being worked on, by name, while provisioning or deleting
    step            text,
    -- index of the next step to ensure; teardown walks back from furthest_step
    next_step       int not null default 0,
    -- the furthest step ever started: teardown removes only what may exist
    furthest_step   int not null default -1,
    deleting        boolean not null default false,
    last_error      text,
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- generated password of the pipeline role; never returned by the API or logged
    role_password   text not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

-- Each step run with its outcome and duration; kept after the pipeline is gone, for audit.
create table pipeline_event (
    id          bigserial primary key,
    pipeline_id text not null,
    at          timestamptz not null default now(),
    step        text not null,
    action      text not null,
    outcome     text not null,
    duration_ms bigint not null,
    message     text
);
create index pipeline_event_pipeline on pipeline_event (pipeline_id, id);
