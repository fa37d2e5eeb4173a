package asaas

import (
	"context"
	"fmt"
)

// Asaas has no idempotency key: a create that timed out may or may not have
// happened. The Ensure helpers make creation safe to retry by looking the
// object up by its externalReference first. They assume one caller at a
// time per externalReference (a Temporal activity of one workflow); two
// concurrent calls could both create.

// EnsurePayment returns the non-deleted charge whose externalReference is
// req.ExternalReference (created = false), or creates it (created = true).
// When several match (the parcels of an installment plan, or an earlier
// duplicate), it returns the oldest: for a plan, its first parcel, which is
// what creating it answers. The existing charge is returned as is; callers
// compare value and due date if those may have changed.
func (c *Client) EnsurePayment(ctx context.Context, req PaymentRequest) (p Payment, created bool, err error) {
	if req.ExternalReference == "" {
		return Payment{}, false, invalid("ensure payment", "externalReference is required")
	}
	all, err := c.ListAllPayments(ctx, PaymentFilter{ExternalReference: req.ExternalReference})
	if err != nil {
		return Payment{}, false, err
	}
	existing, found, err := oldest(all, func(p Payment) bool {
		return !p.Deleted && p.ExternalRef() == req.ExternalReference
	})
	if err != nil || found {
		return existing, false, err
	}
	p, err = c.CreatePayment(ctx, req)
	return p, err == nil, err
}

// EnsureCustomer returns the non-deleted customer whose externalReference is
// req.ExternalReference (created = false), or creates it (created = true).
func (c *Client) EnsureCustomer(ctx context.Context, req CustomerRequest) (cu Customer, created bool, err error) {
	if req.ExternalReference == "" {
		return Customer{}, false, invalid("ensure customer", "externalReference is required")
	}
	existing, found, err := c.FindCustomerByExternalReference(ctx, req.ExternalReference)
	if err != nil || found {
		return existing, false, err
	}
	cu, err = c.CreateCustomer(ctx, req)
	return cu, err == nil, err
}

// oldest returns the last matching item of a newest-first listing. The
// filter is applied again here because a server may match loosely.
func oldest[T any](newestFirst []T, match func(T) bool) (T, bool, error) {
	for i := len(newestFirst) - 1; i >= 0; i-- {
		if match(newestFirst[i]) {
			return newestFirst[i], true, nil
		}
	}
	var zero T
	return zero, false, nil
}

func invalid(op, msg string) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidRequest, op, msg)
}
