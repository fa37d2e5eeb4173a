package activities

import (
	"errors"
	"fmt"

	"billing/asaas"

	"go.temporal.io/sdk/temporal"
)

// Error types activities fail with that no retry can fix; the workflows' retry
// policies list them as non-retryable.
const (
	// ErrTypeAsaasRejected: Asaas answered with a validation error (4xx).
	ErrTypeAsaasRejected = "AsaasRejected"
	// ErrTypeNotFound: the row the activity works on does not exist for the account.
	ErrTypeNotFound = "NotFound"
	// ErrTypeNotConfigured: the account has no usable Asaas settings.
	ErrTypeNotConfigured = "AsaasNotConfigured"
	// ErrTypeInvalidState: the request does not fit the current state (HTTP 409).
	ErrTypeInvalidState = "InvalidState"
	// ErrTypeInvalidInput: the request itself is wrong (HTTP 422).
	ErrTypeInvalidInput = "InvalidInput"
)

// gatewayError turns an Asaas client error into what Temporal should do with it:
// validation errors fail the activity for good (the workflow surfaces them on the
// contract); 429 waits as long as Asaas asked; everything else retries with backoff.
func gatewayError(err error) error {
	if err == nil {
		return nil
	}
	var ae *asaas.Error
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		return temporal.NewApplicationErrorWithOptions(ae.Error(), "AsaasRateLimited", temporal.ApplicationErrorOptions{
			NextRetryDelay: ae.RetryAfter, Cause: err,
		})
	}
	if asaas.IsRetryable(err) {
		return err
	}
	return temporal.NewNonRetryableApplicationError(rejectionMessage(err), ErrTypeAsaasRejected, err)
}

// rejectionMessage is what a user reads on the contract: Asaas's own descriptions.
func rejectionMessage(err error) string {
	var ae *asaas.Error
	if errors.As(err, &ae) && len(ae.Errors) > 0 {
		msg := ""
		for i, item := range ae.Errors {
			if i > 0 {
				msg += "; "
			}
			msg += item.Description
		}
		return msg
	}
	return err.Error()
}

// invalidInput: a request that can never succeed as sent.
func invalidInput(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), ErrTypeInvalidInput, nil)
}
