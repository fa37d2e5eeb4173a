package api

import (
	"encoding/json"
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

type auditView struct {
	ID         uuid.UUID       `json:"id"`
	ActorType  string          `json:"actor_type"`
	ActorID    *uuid.UUID      `json:"actor_id"`
	Action     string          `json:"action"`
	EntityType string          `json:"entity_type"`
	EntityID   *uuid.UUID      `json:"entity_id"`
	ContractID *uuid.UUID      `json:"contract_id"`
	Data       json.RawMessage `json:"data"`
	CreatedAt  time.Time       `json:"created_at"`
}

func viewAudit(e dbgen.AuditEvent) auditView {
	return auditView{e.ID, e.ActorType, e.ActorID, e.Action, e.EntityType, e.EntityID, e.ContractID, e.Data, e.CreatedAt}
}

// listAuditEvents: the account's audit trail, newest first, filtered by contract_id,
// entity_type and action.
func (s *Server) listAuditEvents(c *gin.Context) {
	var f fields
	contractID := optQueryID(c, &f, "contract_id")
	s.auditEvents(c, &f, contractID)
}

// listContractAuditEvents: one contract's trail (404 for a contract of another account).
func (s *Server) listContractAuditEvents(c *gin.Context) {
	contract, err := s.ownedContract(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.auditEvents(c, &fields{}, &contract.ID)
}

func (s *Server) auditEvents(c *gin.Context, f *fields, contractID *uuid.UUID) {
	p := parsePage(c, f)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListAuditEvents(c.Request.Context(), dbgen.ListAuditEventsParams{
		AccountID: actor(c).AccountID, ContractID: contractID, EntityType: optQuery(c, "entity_type"),
		Action: optQuery(c, "action"), AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	})
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.AuditEvent) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewAudit)), err)
}
