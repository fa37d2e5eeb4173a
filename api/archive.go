package api

import (
	"context"
	"errors"

	"billing/db/dbgen"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
)

// deletedView answers DELETE: "deleted" when the row is gone, "archived" when other
// rows still reference it (it is then hidden from lists but kept for their history).
type deletedView struct {
	ID     string `json:"id"`
	Result string `json:"result"`
}

// archivable is a resource DELETE removes or archives. Each function acts on the
// row (accountID, id) of the resource's table.
type archivable struct {
	entity  string // "client": the 404 wording, the audit entity and action prefix
	lock    func(ctx context.Context, q *dbgen.Queries, accountID, id uuid.UUID) error
	del     func(ctx context.Context, q *dbgen.Queries, accountID, id uuid.UUID) error
	archive func(ctx context.Context, q *dbgen.Queries, accountID, id uuid.UUID) error
}

// deleteHandler deletes the row when nothing references it, archives it otherwise,
// and says which, with an audit event ("client.deleted" or "client.archived").
func (s *Server) deleteHandler(r archivable) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id", r.entity)
		if err != nil {
			s.writeError(c, err)
			return
		}
		s.mutate(c, func(ctx context.Context, t *txn) (result, error) {
			accountID := t.actor.AccountID
			if err := r.lock(ctx, t.Queries, accountID, id); err != nil {
				return result{}, notFoundIf(err, r.entity)
			}
			outcome, err := deleteOrArchive(ctx, t,
				func(q *dbgen.Queries) error { return r.del(ctx, q, accountID, id) },
				func(q *dbgen.Queries) error { return r.archive(ctx, q, accountID, id) })
			if err != nil {
				return result{}, err
			}
			return ok(deletedView{id.String(), outcome}), t.audit(ctx, r.entity+"."+outcome, r.entity, id, nil, nil)
		})
	}
}

// deleteOrArchive tries del in a savepoint; a foreign-key violation (something still
// references the row) rolls the savepoint back and archives the row instead.
func deleteOrArchive(ctx context.Context, t *txn, del func(q *dbgen.Queries) error, archive func(q *dbgen.Queries) error) (string, error) {
	sp, err := t.tx.Begin(ctx)
	if err != nil {
		return "", err
	}
	err = del(dbgen.New(sp))
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		if err := sp.Rollback(ctx); err != nil {
			return "", err
		}
		return "archived", archive(t.Queries)
	}
	if err != nil {
		_ = sp.Rollback(ctx)
		return "", err
	}
	return "deleted", sp.Commit(ctx)
}

var (
	archivableClient = archivable{
		entity: "client",
		lock: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.GetClientForUpdate(ctx, dbgen.GetClientForUpdateParams{AccountID: a, ID: id})
			return err
		},
		del: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.DeleteClient(ctx, dbgen.DeleteClientParams{AccountID: a, ID: id})
			return err
		},
		archive: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.ArchiveClient(ctx, dbgen.ArchiveClientParams{AccountID: a, ID: id})
			return err
		},
	}
	archivablePayee = archivable{
		entity: "payee",
		lock: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.GetPayeeForUpdate(ctx, dbgen.GetPayeeForUpdateParams{AccountID: a, ID: id})
			return err
		},
		del: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.DeletePayee(ctx, dbgen.DeletePayeeParams{AccountID: a, ID: id})
			return err
		},
		archive: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.ArchivePayee(ctx, dbgen.ArchivePayeeParams{AccountID: a, ID: id})
			return err
		},
	}
	archivableTemplate = archivable{
		entity: "template",
		lock: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.GetTemplateForUpdate(ctx, dbgen.GetTemplateForUpdateParams{AccountID: a, ID: id})
			return err
		},
		del: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.DeleteTemplate(ctx, dbgen.DeleteTemplateParams{AccountID: a, ID: id})
			return err
		},
		archive: func(ctx context.Context, q *dbgen.Queries, a, id uuid.UUID) error {
			_, err := q.ArchiveTemplate(ctx, dbgen.ArchiveTemplateParams{AccountID: a, ID: id})
			return err
		},
	}
)
