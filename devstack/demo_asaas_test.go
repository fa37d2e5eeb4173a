package devstack

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMoveOldIdentities(t *testing.T) {
	const identities = `{"merchant":{"id":"m"},"payee_wallets":[],"webhook_secret":"s"}`
	const state = `{"format":1,"accounts":[]}`
	cases := []struct {
		name                    string
		old, current            string // file contents; "" = no file
		wantState, wantAccounts string
	}{
		{name: "identities under the old name move", old: identities, wantAccounts: identities},
		{name: "a state file stays", old: state, wantState: state},
		{name: "nothing to move"},
		{name: "already moved: both stay", old: state, current: identities, wantState: state, wantAccounts: identities},
		{name: "not JSON stays for the simulator to refuse", old: "{oops", wantState: "{oops"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(name, content string) {
				if content != "" {
					require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
				}
			}
			read := func(name string) string {
				raw, err := os.ReadFile(filepath.Join(dir, name))
				if os.IsNotExist(err) {
					return ""
				}
				require.NoError(t, err)
				return string(raw)
			}
			write(simStateFile, tc.old)
			write(simIdentitiesFile, tc.current)
			require.NoError(t, moveOldIdentities(dir))
			assert.Equal(t, tc.wantState, read(simStateFile))
			assert.Equal(t, tc.wantAccounts, read(simIdentitiesFile))
		})
	}
}
