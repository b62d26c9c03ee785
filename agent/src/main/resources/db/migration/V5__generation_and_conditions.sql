-- A pipeline's health as the agent judged it (see PipelineHealth in the contract).
--
-- generation: the spec's generation; every change of the spec (PATCH, desired_state) adds one.
-- observed_generation: the generation the agent last brought to its desired state, written only by
--   the fenced write of the pass that settled it, and only when no PATCH landed during that pass.
-- conditions: Ready and Drifted as last judged (a JSON array in the API's shape), written when
--   something other than time changed.
alter table pipeline
    add column generation bigint not null default 1,
    add column observed_generation bigint not null default 0,
    add column conditions jsonb not null default '[]';

-- A pipeline settled before this version was settled with its one spec generation.
update pipeline set observed_generation = 1 where phase in ('running', 'stopped');
