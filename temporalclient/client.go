// Package temporalclient connects this service to Temporal: dialing with the
// service's logger and registering the custom search attributes it relies on.
package temporalclient

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"billing/metrics"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
)

// Dial connects to the frontend at address, failing with a sentence a human can act on.
func Dial(ctx context.Context, address, namespace string, logger *slog.Logger) (client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{
		HostPort:  address,
		Namespace: namespace,
		Logger:    tlog.NewStructuredLogger(logger.With("component", "temporal-client")),
		// The SDK's own metrics, served with the process's on GET /metrics.
		MetricsHandler: metrics.TemporalHandler(),
	})
	if err != nil {
		return nil, fmt.Errorf("Temporal is not answering at %s (namespace %q): start it (`make run` starts a dev server) or set TEMPORAL_ADDRESS: %w", address, namespace, err)
	}
	return c, nil
}

// EnsureSearchAttributes registers the attributes that are missing; ones already
// registered with the same type are left alone, so every worker start may call it.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string, attrs map[string]enums.IndexedValueType) error {
	ops := c.OperatorService()
	have, err := ops.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list search attributes: %w", err)
	}
	missing := map[string]enums.IndexedValueType{}
	for name, typ := range attrs {
		got, ok := have.GetCustomAttributes()[name]
		switch {
		case !ok:
			missing[name] = typ
		case got != typ:
			return fmt.Errorf("search attribute %s is registered as %s, this service needs %s", name, got, typ)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = ops.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: namespace, SearchAttributes: missing})
	if _, exists := err.(*serviceerror.AlreadyExists); exists {
		return nil
	}
	if err != nil {
		return fmt.Errorf("add search attributes: %w", err)
	}
	return nil
}
