package api

import (
	"time"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
)

// userView is a user of the caller's account: who created a contract, recorded a
// payment or a payout (the ids other resources and the audit trail name).
type userView struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

func viewUser(u dbgen.User) userView { return userView{u.ID, u.Email, u.Name, u.CreatedAt} }

// listUsers: GET /v1/users, the account's users, newest first.
func (s *Server) listUsers(c *gin.Context) {
	var f fields
	p := parsePage(c, &f)
	if err := f.err(); err != nil {
		s.writeError(c, err)
		return
	}
	rows, err := dbgen.New(s.deps.Pool).ListUsers(c.Request.Context(), dbgen.ListUsersParams{
		AccountID: actor(c).AccountID, AfterCreatedAt: p.afterCreatedAt, AfterID: p.afterID, RowLimit: p.fetch(),
	})
	s.reply(c, ok(pageOf(p, rows, func(r dbgen.User) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID }, viewUser)), err)
}
