// Command billing-dev holds what development and testing need and production must
// not carry: `dev` (make run), the Asaas simulator and the load tester (make bench).
package main

import "billing/cmd/internal/cli"

var commands = map[string]cli.Command{
	"dev":       {Summary: "run everything on this machine: Temporal dev server, migrations, simulator, worker, API", Run: runDev},
	"asaas-sim": {Summary: "serve the Asaas v3 simulator", Run: runAsaasSim},
	"loadtest":  {Summary: "load, chaos and baseline benchmarks against a stack it starts (make bench); -h for flags", Run: runLoadtest},
	"worker":    {Summary: "the Temporal worker, as `billing worker` (loadtest runs it as a child process it can kill)", Run: runWorker},
}

func main() { cli.Main("billing-dev", commands) }
