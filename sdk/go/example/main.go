// Command example drives one pipeline through its life with the Go SDK: it lists the services,
// creates a pipeline from the first PostgreSQL source to the first Kafka sink, waits until it
// runs, and deletes it again, waiting until nothing is left.
//
//	FOUNDRYDB_ENDPOINT=http://127.0.0.1:8686 FOUNDRYDB_TOKEN=... go run ./example -name orders-go
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	foundrydb "foundrydb.com/pipelines/sdk/go"
)

func main() {
	name := flag.String("name", "orders-from-go", "the pipeline's name")
	tables := flag.String("tables", "public.orders", "comma-separated schema.table names")
	prefix := flag.String("topic-prefix", "shop-go", "records land on <prefix>.<schema>.<table>")
	wait := flag.Duration("timeout", 3*time.Minute, "how long to wait for running, and for gone")
	flag.Parse()
	if err := run(*name, strings.Split(*tables, ","), *prefix, *wait); err != nil {
		fmt.Fprintln(os.Stderr, "example:", err)
		os.Exit(1)
	}
}

func run(name string, tables []string, prefix string, wait time.Duration) error {
	cfg := foundrydb.NewConfiguration()
	if endpoint := os.Getenv("FOUNDRYDB_ENDPOINT"); endpoint != "" {
		cfg.Servers = foundrydb.ServerConfigurations{{URL: strings.TrimSuffix(endpoint, "/")}}
	}
	client := foundrydb.NewAPIClient(cfg)
	ctx := context.WithValue(context.Background(), foundrydb.ContextAccessToken, os.Getenv("FOUNDRYDB_TOKEN"))

	services, _, err := client.ServicesAPI.ListServices(ctx).Execute()
	if err != nil {
		return describe("list services", err)
	}
	var source, sink string
	for _, s := range services.Services {
		fmt.Printf("service %s (%s, %s)\n", s.Id, s.Name, s.Kind)
		if s.Kind == "postgresql" && source == "" {
			source = s.Id
		} else if s.Kind == "kafka" && sink == "" {
			sink = s.Id
		}
	}
	if source == "" || sink == "" {
		return errors.New("the agent has no PostgreSQL source or no Kafka sink registered")
	}

	spec := foundrydb.NewPipelineSpec(name, "cdc_pg_to_kafka", source, sink, *foundrydb.NewPipelineConfig(tables, prefix))
	created, _, err := client.PipelinesAPI.CreatePipeline(ctx).PipelineSpec(*spec).Execute()
	if err != nil {
		return describe("create pipeline", err)
	}
	id := created.Id
	fmt.Printf("created %s (%s), phase %s\n", id, name, created.Status.Phase)

	deadline := time.Now().Add(wait)
	for {
		p, _, err := client.PipelinesAPI.GetPipeline(ctx, id).Live(true).Execute()
		if err != nil {
			return describe("get pipeline", err)
		}
		if p.Status.Phase == "running" {
			fmt.Printf("running: connector %s, tasks %v, streaming from %s, topics %v\n",
				p.Status.GetConnectorState(), p.Status.TaskStates, p.Status.GetStreamingHost(), p.Status.Topics)
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not running after %s: phase %s, last error %q", id, wait, p.Status.Phase,
				p.Status.GetLastError())
		}
		time.Sleep(time.Second)
	}

	if _, _, err := client.PipelinesAPI.DeletePipeline(ctx, id).Execute(); err != nil {
		return describe("delete pipeline", err)
	}
	for {
		_, resp, err := client.PipelinesAPI.GetPipeline(ctx, id).Execute()
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			fmt.Printf("deleted %s: nothing left\n", id)
			return nil
		}
		if err != nil {
			return describe("get pipeline", err)
		}
		if time.Now().After(deadline.Add(wait)) {
			return fmt.Errorf("%s still there after %s", id, wait)
		}
		time.Sleep(time.Second)
	}
}

// describe turns an API error (an RFC 9457 problem) into its detail, field and hint, as the agent answered them.
func describe(what string, err error) error {
	var apiErr *foundrydb.GenericOpenAPIError
	if errors.As(err, &apiErr) {
		if e, ok := apiErr.Model().(foundrydb.Error); ok {
			return fmt.Errorf("%s: %s (field %s; %s)", what, e.Detail, e.GetField(), e.GetHint())
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}
