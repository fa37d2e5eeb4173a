package config

import (
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// No Docker engine runs where tests run, so the compose file is checked statically
// against the binary's own configuration.

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       buildSpec         `yaml:"build"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
	} `yaml:"services"`
}

// buildSpec is a service's build: a context path, or a mapping with a dockerfile.
type buildSpec struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
}

func (b *buildSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		b.Context, b.Dockerfile = n.Value, "Dockerfile"
		return nil
	}
	type plain buildSpec
	if err := n.Decode((*plain)(b)); err != nil {
		return err
	}
	if b.Dockerfile == "" {
		b.Dockerfile = "Dockerfile"
	}
	return nil
}

func loadCompose(t *testing.T) composeFile {
	raw, err := os.ReadFile("../docker-compose.yml")
	require.NoError(t, err)
	var f composeFile
	require.NoError(t, yaml.Unmarshal(raw, &f))
	return f
}

// toolVersion reads a module version pinned in tools/go.mod (the dev server we test
// against), so compose runs the same Temporal server and UI.
func toolVersion(t *testing.T, module string) string {
	raw, err := os.ReadFile("../tools/go.mod")
	require.NoError(t, err)
	m := regexp.MustCompile(regexp.QuoteMeta(module) + ` v(\S+)`).FindSubmatch(raw)
	require.NotNil(t, m, "tools/go.mod pins %s", module)
	return string(m[1])
}

func hostPortOf(t *testing.T, mapping string) (host, container string) {
	parts := strings.Split(mapping, ":")
	require.GreaterOrEqual(t, len(parts), 2, mapping)
	return parts[len(parts)-2], parts[len(parts)-1]
}

func portOf(t *testing.T, addr string) string {
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err, addr)
	return port
}

func TestComposeServices(t *testing.T) {
	f := loadCompose(t)
	for _, name := range []string{"postgres", "temporal", "temporal-ui", "api", "worker", "asaas-sim", "migrate"} {
		require.Contains(t, f.Services, name)
	}
	assert.Equal(t, "postgres:15", f.Services["postgres"].Image)
	assert.Equal(t, "temporalio/auto-setup:"+toolVersion(t, "go.temporal.io/server"), f.Services["temporal"].Image)
	assert.Equal(t, "temporalio/ui:"+toolVersion(t, "github.com/temporalio/ui-server/v2"), f.Services["temporal-ui"].Image)
	assert.Equal(t, "postgres12", f.Services["temporal"].Environment["DB"], "temporal persists in PostgreSQL")
	assert.Equal(t, []string{"127.0.0.1:8233:8080"}, f.Services["temporal-ui"].Ports)
	assert.Equal(t, portOf(t, Default("TEMPORAL_ADDRESS")), func() string { _, c := hostPortOf(t, f.Services["temporal"].Ports[0]); return c }())
}

func TestComposeBillingServicesMatchConfig(t *testing.T) {
	f := loadCompose(t)
	known := map[string]bool{}
	for _, v := range Vars {
		known[v.Name] = true
	}
	commands := map[string]string{"api": "api", "worker": "worker", "migrate": "migrate", "asaas-sim": "asaas-sim"}
	// The production image (Dockerfile) has no simulator: asaas-sim is built from the
	// development binary's Dockerfile.dev.
	dockerfiles := map[string]string{"api": "Dockerfile", "worker": "Dockerfile", "migrate": "Dockerfile", "asaas-sim": "Dockerfile.dev"}
	for name, command := range commands {
		svc := f.Services[name]
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, buildSpec{Context: ".", Dockerfile: dockerfiles[name]}, svc.Build, "built from this repository")
			assert.Equal(t, []string{command}, svc.Command)
			env := map[string]string{}
			for k, v := range svc.Environment {
				assert.True(t, known[k], "%s sets %s, which the binary does not read", name, k)
				env[k] = v
			}
			if _, ok := env["BILLING_SECRET_KEY"]; ok {
				env["BILLING_SECRET_KEY"] = strings.Repeat("ab", 32) // compose substitutes it from the host
			}
			cfg, err := Load(func(k string) string { return env[k] })
			require.NoError(t, err)
			switch name {
			case "api":
				require.Len(t, svc.Ports, 1)
				_, container := hostPortOf(t, svc.Ports[0])
				assert.Equal(t, portOf(t, cfg.APIAddr), container)
				assert.Equal(t, portOf(t, Default("API_ADDR")), container, "same port as make run")
			case "asaas-sim":
				require.Len(t, svc.Ports, 1)
				_, container := hostPortOf(t, svc.Ports[0])
				assert.Equal(t, portOf(t, cfg.SimAddr), container)
				assert.Equal(t, portOf(t, Default("ASAAS_SIM_ADDR")), container)
				hook, err := url.Parse(cfg.SimWebhookURL)
				require.NoError(t, err)
				assert.Equal(t, "api:"+portOf(t, f.Services["api"].Environment["API_ADDR"]), hook.Host)
			case "worker":
				require.Len(t, svc.Ports, 1, "its metrics")
				_, container := hostPortOf(t, svc.Ports[0])
				assert.Equal(t, portOf(t, cfg.WorkerMetricsAddr), container)
				assert.Equal(t, portOf(t, Default("WORKER_METRICS_ADDR")), container, "same port as billing worker's default")
				fallthrough
			default:
				sim, err := url.Parse(cfg.AsaasBaseURL)
				require.NoError(t, err)
				assert.Equal(t, "asaas-sim:"+portOf(t, f.Services["asaas-sim"].Environment["ASAAS_SIM_ADDR"]), sim.Host)
				assert.Equal(t, "temporal:"+portOf(t, Default("TEMPORAL_ADDRESS")), cfg.TemporalAddress)
				db, err := url.Parse(cfg.DatabaseURL)
				require.NoError(t, err)
				assert.Equal(t, "postgres:5432", db.Host)
			}
		})
	}
}

func TestReadmeDocumentsEveryVar(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, v := range Vars {
		assert.Contains(t, string(raw), "| `"+v.Name+"` |", "README configuration table lists %s", v.Name)
	}
}
