package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"billing/asaassim"
	"billing/db/dbgen"
	"billing/secret"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// simIdentities are the simulator accounts of the demo, kept in the data dir so a
// simulator that starts afresh (its state file gone) recreates them with the same
// keys and wallets, which the demo account's settings in PostgreSQL name.
type simIdentities struct {
	Merchant      asaassim.Account   `json:"merchant"`
	PayeeWallets  []asaassim.Account `json:"payee_wallets"`
	WebhookSecret string             `json:"webhook_secret"`
}

// Files in the data dir: the simulator's state, and the demo's identities
// (which lived under the state file's name before the simulator kept state).
const (
	simStateFile      = "asaas-sim.json"
	simIdentitiesFile = "asaas-sim-accounts.json"
)

// moveOldIdentities renames an identities file left under the state file's name
// by an earlier version, so the simulator does not read it as its state.
func moveOldIdentities(dir string) error {
	oldPath, newPath := filepath.Join(dir, simStateFile), filepath.Join(dir, simIdentitiesFile)
	if _, err := os.Stat(newPath); err == nil {
		return nil
	}
	raw, err := os.ReadFile(oldPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	var probe struct {
		Merchant *asaassim.Account `json:"merchant"`
	}
	if json.Unmarshal(raw, &probe) != nil || probe.Merchant == nil {
		return nil // a state file, or something the simulator will name when it refuses it
	}
	return os.Rename(oldPath, newPath)
}

func loadSimIdentities(dir string) (simIdentities, error) {
	path := filepath.Join(dir, simIdentitiesFile)
	var ids simIdentities
	if raw, err := os.ReadFile(path); err == nil {
		return ids, json.Unmarshal(raw, &ids)
	} else if !errors.Is(err, os.ErrNotExist) {
		return ids, err
	}
	ids = simIdentities{
		Merchant:      asaassim.Account{ID: uuid.NewString(), Name: "Demo merchant", APIKey: "$aact_hmlg_" + randomHex(24), WalletID: uuid.NewString()},
		WebhookSecret: "whsec_" + randomHex(16),
	}
	for _, name := range []string{"Agent wallet", "Franchise wallet"} {
		ids.PayeeWallets = append(ids.PayeeWallets, asaassim.Account{ID: uuid.NewString(), Name: name, APIKey: "$aact_hmlg_" + randomHex(24), WalletID: uuid.NewString()})
	}
	raw, err := json.MarshalIndent(ids, "", "  ")
	if err != nil {
		return ids, err
	}
	return ids, os.WriteFile(path, raw, 0o600)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// connectDemoToSimulator creates the demo's simulator accounts its state does not
// hold yet, points the merchant's webhook at our API with the shared secret, and
// stores the same key and secret as the demo account's Asaas settings: the whole
// loop works offline. A webhook the state already points at the API is left as
// it is (paused, events filter and all).
func connectDemoToSimulator(ctx context.Context, pool *pgxpool.Pool, sim *asaassim.Server, ids simIdentities, demo demoAccount, secretKey []byte, webhookURL string) error {
	have := map[string]bool{}
	for _, a := range sim.Accounts() {
		have[a.ID] = true
	}
	for _, a := range append([]asaassim.Account{ids.Merchant}, ids.PayeeWallets...) {
		if have[a.ID] {
			continue
		}
		if _, err := sim.AddAccount(a); err != nil {
			return err
		}
	}
	hook, err := sim.Webhook(ids.Merchant.ID)
	if err != nil {
		return err
	}
	if hook.URL != webhookURL || !hook.HasAuthToken {
		if err := sim.SetWebhook(ids.Merchant.ID, asaassim.WebhookConfig{URL: webhookURL, AuthToken: ids.WebhookSecret, Enabled: true}); err != nil {
			return err
		}
	}
	return storeDemoSettings(ctx, pool, demo, ids.Merchant.APIKey, ids.WebhookSecret, secretKey)
}

func storeDemoSettings(ctx context.Context, pool *pgxpool.Pool, demo demoAccount, apiKey, webhookSecret string, secretKey []byte) error {
	sealed, err := secret.Seal(secretKey, []byte(apiKey), demo.AccountID[:])
	if err != nil {
		return err
	}
	last4 := apiKey[len(apiKey)-4:]
	_, err = dbgen.New(pool).UpsertAsaasSettings(ctx, dbgen.UpsertAsaasSettingsParams{
		AccountID: demo.AccountID, ApiKeyCiphertext: sealed, ApiKeyLast4: last4, Environment: "sandbox",
		WebhookSecretHash: secret.WebhookSecretHash(secretKey, webhookSecret), UpdatedBy: demo.UserID,
	})
	return err
}
