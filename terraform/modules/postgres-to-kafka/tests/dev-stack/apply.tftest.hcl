# Applies against a running agent: the dev stack's services shop-postgres and events-kafka and
# its table public.orders (bin/foundrydb-agent dev; FOUNDRYDB_ENDPOINT and FOUNDRYDB_TOKEN from
# ~/.foundrydb/dev.env). Run with `terraform test -test-directory=tests/dev-stack`; terraform
# destroys what the runs created when the file ends.

variables {
  source_service = "shop-postgres"
  sink_service   = "events-kafka"
  pipelines = {
    "tfmod-orders" = {
      tables       = ["public.orders"]
      topic_prefix = "tfmod"
    }
    "tfmod-paused" = {
      tables        = ["public.orders"]
      topic_prefix  = "tfmod-paused"
      desired_state = "stopped"
    }
  }
}

run "pipelines_reach_their_desired_state" {
  assert {
    condition     = alltrue([for id in values(output.pipeline_ids) : can(regex("^pl_[0-9a-f]+$", id))])
    error_message = "pipeline ids: ${jsonencode(output.pipeline_ids)}"
  }

  assert {
    condition = (output.status["tfmod-orders"].phase == "running" && output.status["tfmod-orders"].connector_state == "RUNNING"
      && length(output.status["tfmod-orders"].task_states) > 0 && alltrue([for s in output.status["tfmod-orders"].task_states : s == "RUNNING"])
    && output.status["tfmod-orders"].last_error == null)
    error_message = "tfmod-orders runs: ${jsonencode(output.status["tfmod-orders"])}"
  }

  assert {
    condition     = output.status["tfmod-paused"].phase == "stopped" && output.status["tfmod-paused"].last_error == null
    error_message = "tfmod-paused is stopped: ${jsonencode(output.status["tfmod-paused"])}"
  }

  # The topics output is derived from the configuration; the agent names the topics itself.
  assert {
    condition     = alltrue([for name, p in foundrydb_pipeline.this : toset(p.topics) == toset(values(output.topics[name]))])
    error_message = "the agent reports ${jsonencode({ for name, p in foundrydb_pipeline.this : name => p.topics })}, the module ${jsonencode(output.topics)}"
  }

  assert {
    condition     = output.topics["tfmod-orders"]["public.orders"] == "tfmod.public.orders"
    error_message = "topics: ${jsonencode(output.topics)}"
  }

  assert {
    condition     = can(regex("^127\\.0\\.0\\.1:[0-9]+$", output.bootstrap_servers))
    error_message = "bootstrap_servers: ${output.bootstrap_servers}"
  }
}

run "a_stopped_pipeline_starts_in_place" {
  variables {
    pipelines = {
      "tfmod-orders" = {
        tables       = ["public.orders"]
        topic_prefix = "tfmod"
      }
      "tfmod-paused" = {
        tables       = ["public.orders"]
        topic_prefix = "tfmod-paused"
      }
    }
  }

  assert {
    condition     = output.pipeline_ids == run.pipelines_reach_their_desired_state.pipeline_ids
    error_message = "changed in place, so the ids stay: ${jsonencode(output.pipeline_ids)}"
  }

  assert {
    condition     = output.status["tfmod-paused"].phase == "running" && output.status["tfmod-paused"].connector_state == "RUNNING"
    error_message = "tfmod-paused runs: ${jsonencode(output.status["tfmod-paused"])}"
  }
}
