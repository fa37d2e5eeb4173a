package domain_test

import (
	"flag"
	"os"
	"testing"
)

// propertyChecks is how many random cases each rapid property runs unless
// -rapid.checks or RAPID_CHECKS says otherwise (rapid's default is 100).
const propertyChecks = "3000"

func TestMain(m *testing.M) {
	flag.Parse()
	if _, env := os.LookupEnv("RAPID_CHECKS"); !env && !flagSet("rapid.checks") {
		if err := flag.Set("rapid.checks", propertyChecks); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
