// Package domain holds the pure business rules of billing: money parsing and
// formatting, installment schedules, the allocation of one payment among split
// rules, split-rule validation, contract and installment state machines and the
// externalReference we put on Asaas charges.
//
// It does no I/O and depends only on the standard library, shopspring/decimal
// and google/uuid, so workflows (which must be deterministic) and the API can
// both call it.
package domain
