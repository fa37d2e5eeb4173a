package asaassim

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
)

// randSource is a seeded, goroutine-safe random stream. The simulator keeps
// separate streams for ids, fault injection and webhook chaos, so that turning
// one knob does not change the numbers the others draw.
type randSource struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newRandSource(seed int64, stream uint64) *randSource {
	return &randSource{r: rand.New(rand.NewPCG(uint64(seed), stream))}
}

// randomSeed picks a seed when Options.Seed is 0.
func randomSeed() int64 {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

func (s *randSource) float() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.r.Float64()
}

func (s *randSource) from(alphabet string, n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[s.r.IntN(len(alphabet))]
	}
	return string(out)
}

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	mixedAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	digitChars = "0123456789"
	hexChars   = "0123456789abcdef"
)

func (s *randSource) alnum(n int) string  { return s.from(lowerAlnum, n) }
func (s *randSource) digits(n int) string { return s.from(digitChars, n) }
func (s *randSource) hex(n int) string    { return s.from(hexChars, n) }

// uuid returns a random (version 4) UUID string.
func (s *randSource) uuid() string {
	s.mu.Lock()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], s.r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], s.r.Uint64())
	s.mu.Unlock()
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
