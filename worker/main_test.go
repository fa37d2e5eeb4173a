package worker

import (
	"os"
	"testing"

	"billing/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }
