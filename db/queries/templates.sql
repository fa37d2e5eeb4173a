-- name: CreateTemplate :one
INSERT INTO templates (account_id, name, description, installment_count, billing_type, interval_months)
VALUES (@account_id, @name, @description, @installment_count, @billing_type, @interval_months)
RETURNING *;

-- name: GetTemplate :one
SELECT * FROM templates WHERE account_id = $1 AND id = $2;

-- name: GetTemplateForUpdate :one
SELECT * FROM templates WHERE account_id = $1 AND id = $2 FOR UPDATE;

-- name: ListTemplates :many
-- Same filters and order as ListClients (search: name only).
SELECT * FROM templates
WHERE account_id = @account_id
  AND (sqlc.narg(search)::text IS NULL OR strpos(lower(name), lower(sqlc.narg(search)::text)) > 0)
  AND CASE @archived::text WHEN 'all' THEN true WHEN 'true' THEN archived_at IS NOT NULL ELSE archived_at IS NULL END
  AND (sqlc.narg(after_created_at)::timestamptz IS NULL
       OR (created_at, id) < (sqlc.narg(after_created_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @row_limit;

-- name: UpdateTemplate :one
UPDATE templates SET
    name = @name, description = @description, installment_count = @installment_count,
    billing_type = @billing_type, interval_months = @interval_months, updated_at = now()
WHERE account_id = @account_id AND id = @id
RETURNING *;

-- name: DeleteTemplate :execrows
DELETE FROM templates WHERE account_id = $1 AND id = $2;

-- name: ArchiveTemplate :one
UPDATE templates SET archived_at = coalesce(archived_at, now()), updated_at = now()
WHERE account_id = $1 AND id = $2
RETURNING *;

-- name: InsertTemplateSplitRule :exec
INSERT INTO template_split_rules (account_id, template_id, position, kind, payee_id, percent, amount, via_gateway)
VALUES (@account_id, @template_id, @position, @kind, @payee_id, @percent, @amount, @via_gateway);

-- name: DeleteTemplateSplitRules :exec
DELETE FROM template_split_rules WHERE account_id = $1 AND template_id = $2;

-- name: ListTemplateSplitRules :many
SELECT * FROM template_split_rules
WHERE account_id = @account_id AND template_id = ANY(@template_ids::uuid[])
ORDER BY template_id, position;

-- name: SetTemplateChargeTerms :one
UPDATE templates SET
    fine_percent = @fine_percent, interest_percent = @interest_percent, discount_kind = @discount_kind,
    discount_amount = @discount_amount, discount_percent = @discount_percent,
    discount_days_before_due = @discount_days_before_due, updated_at = now()
WHERE account_id = @account_id AND id = @id
RETURNING *;
