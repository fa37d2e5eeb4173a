package console

import (
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// What people read and type, in Brazil's habits: money as R$ 1.234,56, dates as
// dd/mm/aaaa. The API speaks "1234.56" and "2026-03-31"; these functions convert
// between the two and nothing else: whether a value is acceptable is the API's call.

// brl renders an API amount ("1234.5", "-3.00") as "R$ 1.234,50"; text that is not
// a number is shown as it is.
func brl(amount string) string {
	d, err := decimal.NewFromString(strings.TrimSpace(amount))
	if err != nil {
		return amount
	}
	sign := ""
	if d.IsNegative() {
		sign, d = "-", d.Neg()
	}
	whole, cents, _ := strings.Cut(d.StringFixed(2), ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return sign + "R$ " + b.String() + "," + cents
}

// amountInput renders an API amount for an input field: "1234.50" → "1.234,50".
func amountInput(amount string) string {
	return strings.TrimPrefix(brl(amount), "R$ ")
}

var (
	plainAmount    = regexp.MustCompile(`^[0-9]+([.,][0-9]{1,2})?$`)
	groupedDotsBR  = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?$`)
	groupedCommaUS = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,2})?$`)
)

// parseAmountInput turns what a person typed into the API's form: "1.234,56",
// "1234,56", "1234.56", "R$ 1.234,56" and "1,234.56" all give "1234.56"; "1.234" is
// one thousand two hundred and thirty-four reais. Anything else is passed on as
// typed, for the API to say what is wrong with it.
func parseAmountInput(s string) string {
	v := strings.TrimSpace(s)
	v = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(v, "R$"), "r$"))
	v = strings.ReplaceAll(v, "\u00a0", "")
	v = strings.ReplaceAll(v, " ", "")
	switch {
	case plainAmount.MatchString(v):
		return strings.Replace(v, ",", ".", 1)
	case groupedDotsBR.MatchString(v):
		return strings.Replace(strings.ReplaceAll(v, ".", ""), ",", ".", 1)
	case groupedCommaUS.MatchString(v):
		return strings.ReplaceAll(v, ",", "")
	}
	return strings.TrimSpace(s)
}

// parsePercentInput accepts "10", "10,5" and "10.5" (and a trailing %).
func parsePercentInput(s string) string {
	v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if plainAmount.MatchString(v) {
		return strings.Replace(v, ",", ".", 1)
	}
	return strings.TrimSpace(s)
}

// percentInput renders an API percentage for an input: "12.50" → "12,5".
func percentInput(p string) string {
	d, err := decimal.NewFromString(p)
	if err != nil {
		return p
	}
	return strings.Replace(d.String(), ".", ",", 1)
}

var brDate = regexp.MustCompile(`^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$`)

// parseDateInput turns "31/03/2026" (or "2026-03-31") into "2026-03-31"; anything
// else is passed on as typed.
func parseDateInput(s string) string {
	v := strings.TrimSpace(s)
	if m := brDate.FindStringSubmatch(v); m != nil {
		return m[3] + "-" + pad2(m[2]) + "-" + pad2(m[1])
	}
	return v
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// brDateOf renders an API date ("2026-03-31") as "31/03/2026"; other text as is.
func brDateOf(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("02/01/2006")
}

// saoPaulo is where the module's users are (UTC-3, no daylight saving since 2019).
var saoPaulo = func() *time.Location {
	if loc, err := time.LoadLocation("America/Sao_Paulo"); err == nil {
		return loc
	}
	return time.FixedZone("BRT", -3*3600)
}()

// brDateTime renders an instant as "31/03/2026 14:05" in São Paulo.
func brDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(saoPaulo).Format("02/01/2006 15:04")
}

// todayBR is today's date in São Paulo, as a person types it.
func todayBR() string { return time.Now().In(saoPaulo).Format("02/01/2006") }

// localizeMessage rewrites the API's wording where it names the API's own formats.
func localizeMessage(msg string) string {
	msg = strings.ReplaceAll(msg, "must be a date like 2026-03-31", "must be a date like 31/03/2026")
	return strings.ReplaceAll(msg, "must be an RFC 3339 time such as 2027-01-31T00:00:00Z", "must be a date like 31/01/2027")
}
