package loadtest

import "fmt"

// cpf turns n into a valid CPF (11 digits with both check digits), so every
// client of a run is a distinct, valid person.
func cpf(n int) string {
	base := fmt.Sprintf("%09d", 100000000+n%800000000)
	d := make([]int, 0, 11)
	for _, c := range base {
		d = append(d, int(c-'0'))
	}
	for len(d) < 11 {
		sum, weight := 0, len(d)+1
		for _, x := range d {
			sum += x * weight
			weight--
		}
		check := sum * 10 % 11
		if check == 10 {
			check = 0
		}
		d = append(d, check)
	}
	out := make([]byte, 11)
	for i, x := range d {
		out[i] = byte('0' + x)
	}
	return string(out)
}
