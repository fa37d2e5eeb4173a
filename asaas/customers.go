package asaas

import (
	"context"
	"net/http"
)

// CreateCustomer creates a customer. It is not idempotent; see EnsureCustomer.
func (c *Client) CreateCustomer(ctx context.Context, req CustomerRequest) (Customer, error) {
	var cu Customer
	err := c.do(ctx, "create customer", http.MethodPost, "/v3/customers", nil, req, &cu)
	return cu, err
}

// GetCustomer returns a customer; IsNotFound(err) when it does not exist.
func (c *Client) GetCustomer(ctx context.Context, id string) (Customer, error) {
	var cu Customer
	seg, err := pathID("get customer", "customer", id)
	if err != nil {
		return cu, err
	}
	err = c.do(ctx, "get customer", http.MethodGet, "/v3/customers/"+seg, nil, nil, &cu)
	return cu, err
}

// ListCustomers returns one page of customers.
func (c *Client) ListCustomers(ctx context.Context, f CustomerFilter) (List[Customer], error) {
	var l List[Customer]
	err := c.do(ctx, "list customers", http.MethodGet, "/v3/customers", f.values(), nil, &l)
	return l, err
}

// FindCustomerByExternalReference returns the oldest non-deleted customer
// whose externalReference is ref, and whether there is one.
func (c *Client) FindCustomerByExternalReference(ctx context.Context, ref string) (Customer, bool, error) {
	if ref == "" {
		return Customer{}, false, invalid("find customer", "empty externalReference")
	}
	f := CustomerFilter{ExternalReference: ref, Limit: MaxLimit}
	all, err := listAll(ctx, 0, func(ctx context.Context, offset int) (List[Customer], error) {
		f.Offset = offset
		return c.ListCustomers(ctx, f)
	})
	if err != nil {
		return Customer{}, false, err
	}
	return oldest(all, func(cu Customer) bool { return !cu.Deleted && cu.ExternalRef() == ref })
}
