package asaassim

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
)

// pixQrCode: GET /v3/payments/{id}/pixQrCode -> {encodedImage, payload,
// expirationDate}. expirationDate = dueDate + 1 year at 23:59:59 (FACTS). The
// payload is a well-formed dynamic BR Code (EMV, CRC16 checked); the image is a
// real PNG but not a scannable QR code (nothing reads it in the simulator).
func (s *Server) pixQrCode(a *account, r *http.Request) (any, *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.livePayment(a, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if p.methodType == "CREDIT_CARD" {
		return nil, badRequest("invalid_billingType", "Não é possível gerar QR Code Pix para uma cobrança de cartão de crédito.")
	}
	payload := brCode(p)
	if p.qrImage == "" {
		p.qrImage = qrImage(payload)
	}
	return obj{
		{"encodedImage", p.qrImage},
		{"payload", payload},
		{"expirationDate", fmtDate(p.dueDate.AddDate(1, 0, 0)) + " 23:59:59"},
	}, nil
}

// brCode builds the "copia e cola" payload: EMV tags 00 (format), 01 (dynamic),
// 26 (PIX GUI + location URL), 52, 53 (BRL), 54 (amount), 58, 59, 60, 62 (txid),
// 63 (CRC16-CCITT).
func brCode(p *payment) string {
	field := func(id, v string) string { return fmt.Sprintf("%s%02d%s", id, len(v), v) }
	loc := "pix.asaas.com/qr/cobv/" + p.id[len("pay_"):]
	var b strings.Builder
	b.WriteString(field("00", "01"))
	b.WriteString(field("01", "12"))
	b.WriteString(field("26", field("00", "br.gov.bcb.pix")+field("25", loc)))
	b.WriteString(field("52", "0000"))
	b.WriteString(field("53", "986"))
	b.WriteString(field("54", p.value.StringFixed(2)))
	b.WriteString(field("58", "BR"))
	b.WriteString(field("59", emvText(p.acct.Name, 25)))
	b.WriteString(field("60", "SAO PAULO"))
	b.WriteString(field("62", field("05", "***")))
	b.WriteString("6304")
	return b.String() + fmt.Sprintf("%04X", crc16(b.String()))
}

// emvText: BR Code names are upper-case ASCII without accents.
func emvText(s string, limit int) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if i := strings.IndexRune(accented, r); i >= 0 {
			r = []rune(plain)[len([]rune(accented[:i]))]
		}
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == ' ' {
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		out = "ASAAS"
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

const (
	accented = "ÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑ"
	plain    = "AAAAAEEEEIIIIOOOOOUUUUCN"
)

// crc16 is CRC-16/CCITT-FALSE, the BR Code checksum.
func crc16(s string) uint16 {
	crc := uint16(0xFFFF)
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// qrImage draws a QR-looking 29x29 module grid derived from the payload's hash
// (with the three finder squares) as a base64 PNG.
func qrImage(payload string) string {
	const modules, scale, quiet = 29, 4, 4
	size := (modules + 2*quiet) * scale
	img := image.NewGray(image.Rect(0, 0, size, size))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	seed := sha256.Sum256([]byte(payload))
	dark := func(x, y int) bool {
		for _, f := range [][2]int{{0, 0}, {modules - 7, 0}, {0, modules - 7}} {
			dx, dy := x-f[0], y-f[1]
			if dx >= 0 && dx < 7 && dy >= 0 && dy < 7 {
				return dx == 0 || dy == 0 || dx == 6 || dy == 6 || (dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4)
			}
			if dx >= -1 && dx <= 7 && dy >= -1 && dy <= 7 {
				return false
			}
		}
		bit := (y*modules + x) % 256
		h := sha256.Sum256(append(seed[:], byte(bit), byte((y*modules+x)/256)))
		return h[0]&1 == 1
	}
	for y := range modules {
		for x := range modules {
			if !dark(x, y) {
				continue
			}
			for py := range scale {
				for px := range scale {
					img.SetGray((x+quiet)*scale+px, (y+quiet)*scale+py, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}
