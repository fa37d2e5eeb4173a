// Package loadtest is `billing loadtest` (`make bench`): it brings up the whole
// product on this machine (Temporal dev server, a fresh PostgreSQL database, the
// Asaas simulator, the API in process and the worker as a child process it can
// kill), measures bare Temporal and PostgreSQL baselines in the same run, then
// webhook ingestion, end-to-end payments, activation, scale and a 360-installment
// contract, and finishes with a chaos run whose exactly-once audit fails the run
// on any violation. The report is printed and written as JSON under bench/results.
package loadtest
