package workflows

import (
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// Custom search attributes that make contracts findable in the Temporal UI, e.g.
// `ContractStatus = "active" AND NextDueDate < "2026-12-01T00:00:00Z"`.
var (
	ContractStatusKey   = temporal.NewSearchAttributeKeyKeyword("ContractStatus")
	AccountIDKey        = temporal.NewSearchAttributeKeyKeyword("AccountId")
	CustomerIDKey       = temporal.NewSearchAttributeKeyKeyword("CustomerId")
	NextDueDateKey      = temporal.NewSearchAttributeKeyTime("NextDueDate")
	PaidInstallmentsKey = temporal.NewSearchAttributeKeyInt64("PaidInstallments")
)

// SearchAttributes is what the dev server registers at start and workers ensure.
func SearchAttributes() map[string]enums.IndexedValueType {
	return map[string]enums.IndexedValueType{
		ContractStatusKey.GetName():   enums.INDEXED_VALUE_TYPE_KEYWORD,
		AccountIDKey.GetName():        enums.INDEXED_VALUE_TYPE_KEYWORD,
		CustomerIDKey.GetName():       enums.INDEXED_VALUE_TYPE_KEYWORD,
		NextDueDateKey.GetName():      enums.INDEXED_VALUE_TYPE_DATETIME,
		PaidInstallmentsKey.GetName(): enums.INDEXED_VALUE_TYPE_INT,
	}
}
