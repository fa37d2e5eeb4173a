package console

import (
	"strconv"
	"strings"
)

// chargeTerms are a contract's charge_terms as the API shows them.
type chargeTerms struct {
	FinePercent     string `json:"fine_percent"`
	InterestPercent string `json:"interest_percent_per_month"`
	Discount        *struct {
		Kind          string  `json:"kind"`
		Amount        *string `json:"amount"`
		Percent       *string `json:"percent"`
		DaysBeforeDue int     `json:"days_before_due"`
	} `json:"discount"`
}

// Summary says the terms in a line ("" when there are none): "Paid late: 2,00% fine
// and 1,00% interest a month · Paid early: 5,00% off up to the due date".
func (t chargeTerms) Summary() string {
	var late, parts []string
	if t.FinePercent != "" && t.FinePercent != "0.00" {
		late = append(late, percentBR(t.FinePercent)+" fine")
	}
	if t.InterestPercent != "" && t.InterestPercent != "0.00" {
		late = append(late, percentBR(t.InterestPercent)+" interest a month")
	}
	if len(late) > 0 {
		parts = append(parts, "Paid late: "+strings.Join(late, " and "))
	}
	if d := t.Discount; d != nil {
		off := ""
		switch {
		case d.Amount != nil:
			off = brl(*d.Amount)
		case d.Percent != nil:
			off = percentBR(*d.Percent)
		}
		until := "up to the due date"
		if d.DaysBeforeDue > 0 {
			until = "up to " + strconv.Itoa(d.DaysBeforeDue) + " days before the due date"
		}
		parts = append(parts, "Paid early: "+off+" off "+until)
	}
	return strings.Join(parts, " · ")
}

// percentBR renders an API percentage ("2.50") as "2,50%".
func percentBR(p string) string { return strings.Replace(p, ".", ",", 1) + "%" }
