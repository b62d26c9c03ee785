# Applies against a running agent: the dev stack's services shop-postgres and events-kafka, with
# the tables tfmod_a.items and tfmod_b.items in its shop database (the end-to-end tests create
# them). Run with `terraform test -test-directory=tests/dev-stack`; terraform destroys what the
# run created when the file ends.

variables {
  source_service = "shop-postgres"
  sink_service   = "events-kafka"
  name_prefix    = "tfmod-fan"
  topic_prefix   = "tfmodfan"
  schemas = {
    tfmod_a = { tables = ["items"] }
    tfmod_b = { tables = ["items"] }
  }
}

run "one_running_pipeline_per_schema" {
  assert {
    condition     = length(distinct(values(output.pipeline_ids))) == 2 && alltrue([for id in values(output.pipeline_ids) : can(regex("^pl_[0-9a-f]+$", id))])
    error_message = "two pipelines: ${jsonencode(output.pipeline_ids)}"
  }

  assert {
    condition     = alltrue([for s in values(output.status) : s.phase == "running" && s.connector_state == "RUNNING" && s.last_error == null])
    error_message = "both run: ${jsonencode(output.status)}"
  }

  assert {
    condition     = output.topics == { tfmod_a = { "tfmod_a.items" = "tfmodfan.tfmod_a.items" }, tfmod_b = { "tfmod_b.items" = "tfmodfan.tfmod_b.items" } }
    error_message = "topics: ${jsonencode(output.topics)}"
  }
}
