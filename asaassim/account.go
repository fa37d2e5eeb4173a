package asaassim

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Account is a simulated Asaas account: its API key authenticates /v3 calls and
// its walletId receives splits.
type Account struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	APIKey   string `json:"apiKey"`
	WalletID string `json:"walletId"`
}

// WebhookConfig is an account's webhook: where events go and the token sent in
// the asaas-access-token header (omitted when empty). Name, Email, SendType and
// Events complete Asaas's webhook resource (GET/PUT /v3/webhooks); empty Events
// means every event the simulator emits, and delivery is sequential whatever
// SendType says (both invented: the simulator models one SEQUENTIALLY queue).
type WebhookConfig struct {
	URL       string   `json:"url"`
	AuthToken string   `json:"authToken"`
	Enabled   bool     `json:"enabled"`
	Name      string   `json:"name,omitempty"`
	Email     string   `json:"email,omitempty"`
	SendType  string   `json:"sendType,omitempty"`
	Events    []string `json:"events,omitempty"`
}

type state struct {
	accounts      map[string]*account
	byKey         map[string]*account
	byWallet      map[string]*account
	accountOrder  []*account
	customers     map[string]*customer
	payments      map[string]*payment
	installments  map[string]*installment
	links         map[string]*paymentLink
	transfers     map[string]*transfer
	transferOrder []*transfer
	bills         map[string]*bill
	customerSeq   int64 // global: customer ids are cus_ + 12 digits
	paymentSeq    int64 // creation order, for newest-first lists
	eventSeq      int64
	linkSeq       int64
}

func newState() state {
	return state{
		accounts:     map[string]*account{},
		byKey:        map[string]*account{},
		byWallet:     map[string]*account{},
		customers:    map[string]*customer{},
		payments:     map[string]*payment{},
		installments: map[string]*installment{},
		links:        map[string]*paymentLink{},
		transfers:    map[string]*transfer{},
		bills:        map[string]*bill{},
		customerSeq:  8392495, // the captures' customers are cus_000008392496...
		linkSeq:      123517639362,
	}
}

type account struct {
	Account
	balance           decimal.Decimal
	anticipationLimit decimal.Decimal
	invoiceSeq        int64 // invoiceNumber: sequential across the account's charges
	nossoSeq          int64 // nossoNumero: sequential across the account's boletos

	customers  []*customer
	custByExt  map[string][]*customer
	custByDoc  map[string][]*customer
	payments   []*payment // creation order
	payByCust  map[string][]*payment
	payByExt   map[string][]*payment
	cardTokens map[string]*cardInfo

	hooks *hookQueue
}

// CreateAccount creates an account with a fresh API key ($aact_ + random) and
// walletId (UUID). Its webhook is Options.DefaultWebhookURL, enabled, when set.
func (s *Server) CreateAccount(name string) Account {
	a, _ := s.AddAccount(Account{Name: name})
	return a
}

// AddAccount creates an account with the given id, API key and walletId,
// generating the empty ones: a dev stack that keeps an API key across restarts
// of the (in-memory) simulator recreates the same account. An API key must
// start with $aact_; ids and keys already in use are refused.
func (s *Server) AddAccount(want Account) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if want.ID == "" {
		want.ID = s.ids.uuid()
	}
	if want.APIKey == "" {
		want.APIKey = "$aact_" + s.ids.from(mixedAlnum, 48)
	}
	if want.WalletID == "" {
		want.WalletID = s.ids.uuid()
	}
	want.Name = strings.TrimSpace(want.Name)
	if want.Name == "" {
		want.Name = "Conta " + want.ID[:min(8, len(want.ID))]
	}
	switch {
	case !strings.HasPrefix(want.APIKey, "$aact_"):
		return Account{}, controlError(400, "invalid_apiKey", "an API key starts with $aact_")
	case s.st.accounts[want.ID] != nil || s.st.byKey[want.APIKey] != nil || s.st.byWallet[want.WalletID] != nil:
		return Account{}, controlError(409, "conflict", "an account with this id, API key or walletId exists")
	}
	a := s.newAccount(want, WebhookConfig{URL: s.opts.DefaultWebhookURL, Enabled: s.opts.DefaultWebhookURL != ""})
	s.register(a)
	s.startHooks(a.hooks)
	s.touch()
	s.log.Info("asaas-sim account created", "account", a.ID, "name", a.Name, "walletId", a.WalletID)
	return a.Account, nil
}

// newAccount builds an account with empty indexes and an idle webhook queue.
func (s *Server) newAccount(acc Account, hook WebhookConfig) *account {
	a := &account{
		Account:           acc,
		anticipationLimit: anticipationCap,
		invoiceSeq:        15924713, // captures: 15924714...
		nossoSeq:          12745148, // captures: 12745149...
		custByExt:         map[string][]*customer{},
		custByDoc:         map[string][]*customer{},
		payByCust:         map[string][]*payment{},
		payByExt:          map[string][]*payment{},
		cardTokens:        map[string]*cardInfo{},
	}
	a.hooks = newHookQueue(s, a.ID, hook)
	return a
}

// register indexes an account by id, API key and walletId. Caller holds s.mu.
func (s *Server) register(a *account) {
	s.st.accounts[a.ID] = a
	s.st.byKey[a.APIKey] = a
	s.st.byWallet[a.WalletID] = a
	s.st.accountOrder = append(s.st.accountOrder, a)
}

// Accounts lists every account, oldest first.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, len(s.st.accountOrder))
	for i, a := range s.st.accountOrder {
		out[i] = a.Account
	}
	return out
}

// SetWebhook replaces an account's webhook configuration. Re-enabling does not
// resume a paused queue; ResumeWebhooks does (as in Asaas, where an interrupted
// queue must be reactivated).
func (s *Server) SetWebhook(accountID string, cfg WebhookConfig) error {
	s.mu.Lock()
	a := s.st.accounts[accountID]
	s.mu.Unlock()
	if a == nil {
		return controlError(404, "not_found", "account not found")
	}
	a.hooks.configure(cfg)
	s.touch()
	return nil
}

// Balance is the account's available balance: credited payments and splits minus
// transfers, refunds and paid bills.
func (s *Server) Balance(accountID string) (decimal.Decimal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[accountID]
	if a == nil {
		return decimal.Zero, controlError(404, "not_found", "account not found")
	}
	return a.balance, nil
}

func (s *Server) authenticate(key string) *account {
	if key == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.byKey[key]
}

func (s *Server) nextInvoiceNumber(a *account) string {
	a.invoiceSeq++
	return pad(a.invoiceSeq, 8)
}

func (s *Server) nextNossoNumero(a *account) string {
	a.nossoSeq++
	return pad(a.nossoSeq, 8)
}

func pad(n int64, width int) string {
	s := decimal.NewFromInt(n).String()
	for len(s) < width {
		s = "0" + s
	}
	return s
}

func (s *Server) nextEventID() string {
	s.st.eventSeq++
	return "evt_" + s.ids.hex(32) + "&" + decimal.NewFromInt(368604919+s.st.eventSeq).String()
}
