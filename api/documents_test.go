package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBrazilianDocuments(t *testing.T) {
	cases := []struct {
		doc        string
		cpf, cnpj  bool
		normalized string
	}{
		{"529.982.247-25", true, false, "52998224725"},
		{"24971563792", true, false, "24971563792"}, // accepted by the Asaas sandbox
		{"52998224724", false, false, "52998224724"},
		{"111.111.111-11", false, false, "11111111111"},
		{"11.222.333/0001-81", false, true, "11222333000181"},
		{"11222333000182", false, false, "11222333000182"},
		{"00000000000000", false, false, "00000000000000"},
		{"12.ABC.345/01DE-35", false, true, "12ABC34501DE35"}, // the Receita Federal's alphanumeric example
		{"12.abc.345/01de-35", false, true, "12ABC34501DE35"},
		{"12ABC34501DE36", false, false, "12ABC34501DE36"},
		{"1234567890", false, false, "1234567890"},
	}
	for _, tc := range cases {
		t.Run(tc.doc, func(t *testing.T) {
			n := normalizeDocument(tc.doc)
			assert.Equal(t, tc.normalized, n)
			assert.Equal(t, tc.cpf, validCPF(n))
			assert.Equal(t, tc.cnpj, validCNPJ(n))
		})
	}
}

func TestPixKeys(t *testing.T) {
	cases := []struct {
		keyType, key, want string
		ok                 bool
	}{
		{"CPF", "529.982.247-25", "52998224725", true},
		{"CPF", "11111111111", "", false},
		{"CNPJ", "11.222.333/0001-81", "11222333000181", true},
		{"EMAIL", "Ana@Example.com", "ana@example.com", true},
		{"EMAIL", "ana@", "", false},
		{"PHONE", "+55 11 98765-4321", "+5511987654321", true},
		{"PHONE", "(11) 98765-4321", "+5511987654321", true},
		{"PHONE", "98765-4321", "", false},
		{"EVP", "1F2D3C4B-5A69-4788-9A0B-1C2D3E4F5A6B", "1f2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b", true},
		{"EVP", "not-a-key", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.keyType+" "+tc.key, func(t *testing.T) {
			var f fields
			got := f.pixKey("pix_key", tc.keyType, tc.key)
			assert.Equal(t, tc.ok, f.ok(), f.errs)
			if tc.ok {
				assert.Equal(t, tc.want, got)
			}
		})
	}
}
