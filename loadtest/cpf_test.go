package loadtest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCPFIsValidAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for n := 0; n < 2000; n++ {
		c := cpf(n)
		assert.Len(t, c, 11)
		assert.False(t, seen[c], "cpf(%d) repeats", n)
		seen[c] = true
	}
	assert.Equal(t, "52998224725", cpf(429982247), "the known valid CPF 529.982.247-25 gets its check digits")
}
