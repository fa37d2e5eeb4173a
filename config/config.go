// Package config reads the process configuration from environment variables only,
// so the same binary runs under make run, docker-compose and production unchanged.
package config

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Var documents one environment variable: the README table and the
// docker-compose test are checked against this list.
type Var struct {
	Name    string
	Default string
	Meaning string
}

// Vars is every environment variable the binary reads.
var Vars = []Var{
	{"DATABASE_URL", "postgres://postgres@127.0.0.1:5432/billing?sslmode=disable", "PostgreSQL connection URL; `billing-dev dev` and `billing migrate` create the database if it is missing."},
	{"TEMPORAL_ADDRESS", "127.0.0.1:7233", "Temporal frontend host:port."},
	{"TEMPORAL_NAMESPACE", "default", "Temporal namespace for every workflow of this service."},
	{"API_ADDR", "127.0.0.1:8080", "Listen address of the REST API and the Asaas webhook endpoint (`:8080` to listen on every interface)."},
	{"WORKER_METRICS_ADDR", "127.0.0.1:8092", "Listen address of the worker's Prometheus metrics (`GET /metrics`) under `billing worker` (`:8092` for every interface). The API serves its own on `API_ADDR`; `billing-dev dev` runs the worker in the API's process and serves both there."},
	{"ASAAS_BASE_URL", "", "Overrides the Asaas base URL for every account (the simulator, e.g. `http://127.0.0.1:8091`). Empty: each account's environment picks https://api-sandbox.asaas.com or https://api.asaas.com."},
	{"ASAAS_SIM_ADDR", "127.0.0.1:8091", "Listen address of `billing-dev asaas-sim` (and of the simulator `billing-dev dev` starts)."},
	{"ASAAS_SIM_WEBHOOK_URL", "", "Simulator: default webhook URL for accounts it creates on its own (`billing-dev dev` points it at the API)."},
	{"ASAAS_SIM_RETRY_BASE", "2s", "Simulator: first webhook retry delay; doubles per attempt (Asaas waits minutes; tests compress it)."},
	{"ASAAS_SIM_DUPLICATE_RATE", "0", "Simulator: share of webhooks delivered twice (0..1), to exercise at-least-once handling."},
	{"ASAAS_SIM_REORDER_RATE", "0", "Simulator: share of webhooks delayed behind the next one (0..1)."},
	{"ASAAS_SIM_STATE_FILE", "", "Simulator: JSON file that keeps its whole state across restarts (loaded at start, written soon after every change). Empty: memory only; `billing-dev dev` uses `<DEV_DATA_DIR>/asaas-sim.json`."},
	{"BILLING_SECRET_KEY", "", "32-byte key (hex or base64) that encrypts stored Asaas API keys with AES-GCM. Required outside `billing-dev dev`, which keeps a generated one in `.data/secret.key`."},
	{"DEV_DATA_DIR", ".data", "`billing-dev dev`: where the Temporal dev server database, the dev secret key, the demo token and the simulator's state live."},
	{"DEV_TEMPORAL_CLI", "bin/temporal", "`billing-dev dev`: the temporal CLI binary that runs the dev server (built by `make` from tools/go.mod)."},
	{"DEV_TEMPORAL_UI_PORT", "8233", "`billing-dev dev`: Temporal Web UI port."},
	{"DEV_ASAAS_API_KEY", "", "`billing-dev dev`: a real Asaas sandbox key for the demo account; when set, the simulator is not started."},
	{"AUTH_FAILURE_LIMIT", "20", "Authentication failures (401: a wrong API token on `/v1`, a wrong webhook secret on `/webhooks/asaas`) one client may make in a row before it gets 429 with `Retry-After`; it regains that many per `AUTH_FAILURE_WINDOW`. A credential that authenticated from that client still works. 0 turns throttling off."},
	{"AUTH_FAILURE_WINDOW", "1m", "The window of `AUTH_FAILURE_LIMIT` (a Go duration)."},
	{"TRUSTED_PROXIES", "", "Comma-separated IPs or CIDRs of the reverse proxies in front of the API: their `X-Forwarded-For` names the client (for throttling). Empty: the client is the connection's address."},
	{"TEMPORAL_UI_URL", "http://127.0.0.1:8233", "Base URL of the Temporal Web UI: the console links each contract to its workflow there."},
	{"PUBLIC_URL", "", "Base URL Asaas and browsers reach this service at (e.g. `https://billing.example.com`): the console shows `<PUBLIC_URL>/webhooks/asaas` to paste into Asaas. Empty: the URL the browser used."},
	{"QUEUE_WATCH_EVERY", "10m", "How often the worker reads each account's Asaas webhook queue (a Temporal Schedule per account, `asaas-queue/<accountId>`): an interrupted queue is reactivated when the API is healthy, and the account is swept (a Go duration)."},
	{"QUEUE_SWEEP_EVERY", "24h", "The queue watch sweeps an account (asks Asaas about every open installment) when its last reconciliation started longer ago than this, even if its queue never paused (a Go duration)."},
	{"API_HEALTH_URL", "http://127.0.0.1:8080/readyz", "The worker asks this URL (the API's `/readyz`) for a 200 before it reactivates an interrupted Asaas queue."},
	{"LOG_LEVEL", "info", "debug, info, warn or error."},
	{"LOG_FORMAT", "text", "text (readable) or json."},
}

// Config is the parsed configuration.
type Config struct {
	DatabaseURL       string
	TemporalAddress   string
	TemporalNamespace string
	APIAddr           string
	WorkerMetricsAddr string
	AsaasBaseURL      string
	SimAddr           string
	SimWebhookURL     string
	SimRetryBase      time.Duration
	SimDuplicateRate  float64
	SimReorderRate    float64
	SimStateFile      string // "" = memory only (billing dev picks one under DevDataDir)
	SecretKey         []byte // nil when unset
	DevDataDir        string
	DevTemporalCLI    string
	DevTemporalUIPort int
	DevAsaasAPIKey    string
	TemporalUIURL     string // the console's workflow links
	PublicURL         string // "" = the console uses the URL the browser used
	LogLevel          string
	LogFormat         string
	AuthFailureLimit  int
	AuthFailureWindow time.Duration
	TrustedProxies    []string // nil when unset
	QueueWatchEvery   time.Duration
	QueueSweepEvery   time.Duration
	APIHealthURL      string
}

// Default returns the name's documented default.
func Default(name string) string {
	for _, v := range Vars {
		if v.Name == name {
			return v.Default
		}
	}
	panic("config: undocumented variable " + name)
}

// Load reads the environment through getenv (os.Getenv in production).
func Load(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return Default(name)
	}
	var errs []string
	c := Config{
		DatabaseURL:       get("DATABASE_URL"),
		TemporalAddress:   get("TEMPORAL_ADDRESS"),
		TemporalNamespace: get("TEMPORAL_NAMESPACE"),
		APIAddr:           get("API_ADDR"),
		WorkerMetricsAddr: get("WORKER_METRICS_ADDR"),
		AsaasBaseURL:      strings.TrimRight(get("ASAAS_BASE_URL"), "/"),
		SimAddr:           get("ASAAS_SIM_ADDR"),
		SimWebhookURL:     get("ASAAS_SIM_WEBHOOK_URL"),
		SimStateFile:      get("ASAAS_SIM_STATE_FILE"),
		DevDataDir:        get("DEV_DATA_DIR"),
		DevTemporalCLI:    get("DEV_TEMPORAL_CLI"),
		DevAsaasAPIKey:    get("DEV_ASAAS_API_KEY"),
		TemporalUIURL:     strings.TrimRight(get("TEMPORAL_UI_URL"), "/"),
		PublicURL:         strings.TrimRight(get("PUBLIC_URL"), "/"),
		LogLevel:          strings.ToLower(get("LOG_LEVEL")),
		LogFormat:         strings.ToLower(get("LOG_FORMAT")),
		APIHealthURL:      get("API_HEALTH_URL"),
	}
	var err error
	if c.SimRetryBase, err = time.ParseDuration(get("ASAAS_SIM_RETRY_BASE")); err != nil || c.SimRetryBase <= 0 {
		errs = append(errs, "ASAAS_SIM_RETRY_BASE must be a positive duration such as 2s")
	}
	for name, dst := range map[string]*float64{"ASAAS_SIM_DUPLICATE_RATE": &c.SimDuplicateRate, "ASAAS_SIM_REORDER_RATE": &c.SimReorderRate} {
		if *dst, err = strconv.ParseFloat(get(name), 64); err != nil || *dst < 0 || *dst > 1 {
			errs = append(errs, name+" must be a number between 0 and 1")
		}
	}
	if c.AuthFailureLimit, err = strconv.Atoi(get("AUTH_FAILURE_LIMIT")); err != nil || c.AuthFailureLimit < 0 {
		errs = append(errs, "AUTH_FAILURE_LIMIT must be a whole number, 0 or more (0: no throttling)")
	}
	if c.AuthFailureWindow, err = time.ParseDuration(get("AUTH_FAILURE_WINDOW")); err != nil || c.AuthFailureWindow <= 0 {
		errs = append(errs, "AUTH_FAILURE_WINDOW must be a positive duration such as 1m")
	}
	if _, _, err := net.SplitHostPort(c.WorkerMetricsAddr); err != nil {
		errs = append(errs, "WORKER_METRICS_ADDR must be host:port such as 127.0.0.1:8092 or :8092")
	}
	if c.QueueWatchEvery, err = time.ParseDuration(get("QUEUE_WATCH_EVERY")); err != nil || c.QueueWatchEvery < time.Second {
		errs = append(errs, "QUEUE_WATCH_EVERY must be a duration of at least 1s, such as 10m")
	}
	if c.QueueSweepEvery, err = time.ParseDuration(get("QUEUE_SWEEP_EVERY")); err != nil || c.QueueSweepEvery <= 0 {
		errs = append(errs, "QUEUE_SWEEP_EVERY must be a positive duration such as 24h")
	}
	if u, err := url.Parse(c.APIHealthURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, "API_HEALTH_URL must be an http or https URL such as http://127.0.0.1:8080/readyz")
	}
	if c.TrustedProxies, err = parseProxies(get("TRUSTED_PROXIES")); err != nil {
		errs = append(errs, err.Error())
	}
	if c.DevTemporalUIPort, err = strconv.Atoi(get("DEV_TEMPORAL_UI_PORT")); err != nil || c.DevTemporalUIPort <= 0 {
		errs = append(errs, "DEV_TEMPORAL_UI_PORT must be a port number")
	}
	if raw := get("BILLING_SECRET_KEY"); raw != "" {
		if c.SecretKey, err = ParseSecretKey(raw); err != nil {
			errs = append(errs, err.Error())
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, "LOG_LEVEL must be debug, info, warn or error")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, "LOG_FORMAT must be text or json")
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// parseProxies reads TRUSTED_PROXIES: IPs or CIDRs, comma-separated.
func parseProxies(raw string) ([]string, error) {
	if raw == "" {
		return nil, nil
	}
	var out []string
	for _, p := range strings.Split(raw, ",") {
		p = strings.TrimSpace(p)
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return nil, fmt.Errorf("TRUSTED_PROXIES must list IP addresses or CIDRs (%q is neither)", p)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// ParseSecretKey accepts 32 bytes as 64 hex characters or standard base64.
func ParseSecretKey(raw string) ([]byte, error) {
	if b, err := hex.DecodeString(raw); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(raw); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, fmt.Errorf("BILLING_SECRET_KEY must be 32 bytes, as 64 hex characters or base64")
}

// RequireSecretKey is called by the processes that read or write Asaas API keys.
func (c Config) RequireSecretKey() error {
	if len(c.SecretKey) != 32 {
		return fmt.Errorf("BILLING_SECRET_KEY is not set: generate one with `openssl rand -hex 32`")
	}
	return nil
}

// FromEnv loads the configuration of this process.
func FromEnv() (Config, error) { return Load(os.Getenv) }
