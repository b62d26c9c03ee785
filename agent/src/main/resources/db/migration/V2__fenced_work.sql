-- Several agents on one store. Each pipeline's steps run under a lease with an expiry and a
-- fencing token; a step's store writes land only while the writer's token is the lease's and
-- unexpired, and every step run is recorded so that "never on two agents at once" can be proven.

-- The agents sharing this store; heartbeat_at is renewed with their leases.
create table agent (
    id           text primary key,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now()
);

-- Fencing tokens: every grant of a lease takes the next one.
create sequence lease_token;

-- The lease each pipeline's work runs under now (one row per pipeline that has been worked on).
create table pipeline_lease (
    pipeline_id text primary key,
    agent_id    text not null,
    token       bigint not null,
    acquired_at timestamptz not null,
    expires_at  timestamptz not null
);

-- Every grant, kept after the pipeline is gone: a grant ends the fence of the one before it.
create table lease_grant (
    token       bigint primary key,
    pipeline_id text not null,
    agent_id    text not null,
    acquired_at timestamptz not null
);
create index lease_grant_pipeline on lease_grant (pipeline_id, token);

-- Every step run: who ran it under which fence, and when. ended_at and outcome stay null when the
-- agent died or lost its lease before it could record the end; the run then ended no later than
-- the next grant of the pipeline's lease.
create table step_run (
    id          bigserial primary key,
    pipeline_id text not null,
    step        text not null,
    action      text not null,
    agent_id    text not null,
    token       bigint not null,
    started_at  timestamptz not null,
    ended_at    timestamptz,
    outcome     text
);
create index step_run_pipeline on step_run (pipeline_id, started_at);

alter table pipeline_event add column agent_id text, add column token bigint;

-- What the last failure was: retry (heals by retrying), waiting (teardown waits for hosts that do
-- not answer, listed in waiting_for) or needs_fix (retried only when something could have changed).
alter table pipeline add column failure_kind text, add column waiting_for text[] not null default '{}';
