package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"billing/domain"
)

const contractID = "0b9f1c2e-4d5a-4f6b-8c7d-9e0f1a2b3c4d"

func TestChargeReference(t *testing.T) {
	assert.Equal(t, "billing:"+contractID+":1", domain.ChargeReference(contractID, 1))
	assert.Equal(t, "billing:"+contractID+":360", domain.ChargeReference(contractID, 360))
}

func TestParseChargeReference(t *testing.T) {
	valid := []struct {
		in     string
		wantID string
		wantN  int
	}{
		{"billing:" + contractID + ":1", contractID, 1},
		{"billing:" + contractID + ":12", contractID, 12},
		{"billing:" + contractID + ":360", contractID, 360},
		{"billing:0B9F1C2E-4D5A-4F6B-8C7D-9E0F1A2B3C4D:3", contractID, 3}, // returned in canonical case
	}
	for _, tc := range valid {
		t.Run(tc.in, func(t *testing.T) {
			id, n, ok := domain.ParseChargeReference(tc.in)
			assert.True(t, ok)
			assert.Equal(t, tc.wantID, id)
			assert.Equal(t, tc.wantN, n)
		})
	}

	invalid := []string{
		"",
		"billing:",
		"pedido-123",                                       // someone else's reference
		"billing:" + contractID,                            // no number
		"billing:" + contractID + ":",                      // empty number
		"billing:" + contractID + ":0",                     // numbers are 1-based
		"billing:" + contractID + ":-1",                    //
		"billing:" + contractID + ":+1",                    //
		"billing:" + contractID + ":01",                    // leading zero
		"billing:" + contractID + ":361",                   // more than the maximum count
		"billing:" + contractID + ":1:2",                   // extra part
		"billing:" + contractID + ": 1",                    //
		"billing:" + contractID + ":1 ",                    //
		"billing:" + contractID + ":99999999999999999999",  // overflow
		"Billing:" + contractID + ":1",                     // prefix is case-sensitive
		" billing:" + contractID + ":1",                    //
		"billing:not-a-uuid:1",                             //
		"billing:0b9f1c2e4d5a4f6b8c7d9e0f1a2b3c4d:1",       // hyphenless form
		"billing:{0b9f1c2e-4d5a-4f6b-8c7d-9e0f1a2b3c4d}:1", // braced form
		"billing:0b9f1c2e-4d5a-4f6b-8c7d-9e0f1a2b3c4g:1",   // not hex
		"billing:urn:uuid:" + contractID + ":1",            //
	}
	for _, in := range invalid {
		t.Run("invalid "+in, func(t *testing.T) {
			id, n, ok := domain.ParseChargeReference(in)
			assert.False(t, ok)
			assert.Empty(t, id)
			assert.Zero(t, n)
		})
	}
}
