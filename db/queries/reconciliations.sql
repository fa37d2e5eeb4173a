-- Reconciliation runs (docs/architecture.md, "Reconciliation of an account"): the API or the
-- queue sweep creates the run, its workflow lists the contracts, asks each one
-- and records what it found, once per (run, contract).

-- name: CreateReconciliation :one
-- ON CONFLICT: the queue sweep's activity, retried, finds the run it created.
-- starts_in_seconds: a sweep after a reactivation starts later (its SweepDelay);
-- until then it neither counts as a sweep nor holds one back.
INSERT INTO reconciliations (id, account_id, source, requested_by, workflow_id, started_at)
VALUES (@id, @account_id, @source, @requested_by, @workflow_id, now() + make_interval(secs => @starts_in_seconds::double precision))
ON CONFLICT (id) DO NOTHING
RETURNING *;

-- name: GetReconciliation :one
SELECT r.*,
       (SELECT count(*) FROM reconciliation_contracts c
        WHERE c.reconciliation_id = r.id AND c.status <> 'pending')::int AS contracts_done,
       (SELECT coalesce(sum(c.checked), 0) FROM reconciliation_contracts c
        WHERE c.reconciliation_id = r.id)::int AS installments_checked,
       (SELECT count(*) FROM reconciliation_findings f
        WHERE f.reconciliation_id = r.id AND f.kind = 'repair')::int AS repairs,
       (SELECT count(*) FROM reconciliation_findings f
        WHERE f.reconciliation_id = r.id AND f.kind = 'mismatch')::int AS mismatches
FROM reconciliations r
WHERE r.account_id = @account_id AND r.id = @id;

-- name: ListReconciliations :many
-- Newest first, keyset-paginated on (started_at, id).
SELECT r.*,
       (SELECT count(*) FROM reconciliation_contracts c
        WHERE c.reconciliation_id = r.id AND c.status <> 'pending')::int AS contracts_done,
       (SELECT coalesce(sum(c.checked), 0) FROM reconciliation_contracts c
        WHERE c.reconciliation_id = r.id)::int AS installments_checked,
       (SELECT count(*) FROM reconciliation_findings f
        WHERE f.reconciliation_id = r.id AND f.kind = 'repair')::int AS repairs,
       (SELECT count(*) FROM reconciliation_findings f
        WHERE f.reconciliation_id = r.id AND f.kind = 'mismatch')::int AS mismatches
FROM reconciliations r
WHERE r.account_id = @account_id
  AND (sqlc.narg(after_started_at)::timestamptz IS NULL
       OR (r.started_at, r.id) < (sqlc.narg(after_started_at)::timestamptz, sqlc.narg(after_id)::uuid))
ORDER BY r.started_at DESC, r.id DESC
LIMIT @row_limit;

-- name: ListReconciliationFindings :many
-- A run's findings, contract by contract in the order they were checked.
SELECT f.* FROM reconciliation_findings f
JOIN reconciliation_contracts c ON c.reconciliation_id = f.reconciliation_id AND c.contract_id = f.contract_id
WHERE f.account_id = @account_id AND f.reconciliation_id = @reconciliation_id
ORDER BY c.finished_at, f.contract_id, f.kind DESC, f.position;

-- name: PlanReconciliation :execrows
-- The contracts a run asks about: active ones, and any other with an
-- installment that can still be paid. Running it again adds only what is new.
INSERT INTO reconciliation_contracts (account_id, reconciliation_id, contract_id)
SELECT c.account_id, @reconciliation_id, c.id
FROM contracts c
WHERE c.account_id = @account_id
  AND (c.status = 'active'
       OR (c.status <> 'draft' AND EXISTS (
           SELECT 1 FROM installments i
           WHERE i.account_id = c.account_id AND i.contract_id = c.id AND i.status IN ('open', 'overdue'))))
ON CONFLICT (reconciliation_id, contract_id) DO NOTHING;

-- name: SetReconciliationTotal :one
UPDATE reconciliations r
SET contracts_total = (SELECT count(*) FROM reconciliation_contracts c WHERE c.reconciliation_id = r.id)
WHERE r.account_id = @account_id AND r.id = @id
RETURNING r.contracts_total;

-- name: GetReconciliationForRun :one
-- The run as its workflow sees it (no counts).
SELECT * FROM reconciliations WHERE account_id = @account_id AND id = @id;

-- name: PendingReconciliationContracts :many
-- The next contracts of the run still to ask, in contract id order after a cursor.
SELECT contract_id FROM reconciliation_contracts
WHERE reconciliation_id = @reconciliation_id AND status = 'pending' AND contract_id > @after
ORDER BY contract_id
LIMIT @row_limit;

-- name: GetReconciliationContract :one
SELECT * FROM reconciliation_contracts WHERE reconciliation_id = @reconciliation_id AND contract_id = @contract_id;

-- name: FinishReconciliationContract :one
-- A contract's answer, written once: no row when it was written before.
UPDATE reconciliation_contracts SET status = @status, checked = @checked, finished_at = now()
WHERE reconciliation_id = @reconciliation_id AND contract_id = @contract_id AND status = 'pending'
RETURNING *;

-- name: InsertReconciliationFinding :exec
INSERT INTO reconciliation_findings (account_id, reconciliation_id, contract_id, kind, position, installment,
                                     asaas_payment_id, event, before_status, after_status, detail)
VALUES (@account_id, @reconciliation_id, @contract_id, @kind, @position, sqlc.narg(installment),
        sqlc.narg(asaas_payment_id), sqlc.narg(event), sqlc.narg(before_status), sqlc.narg(after_status), sqlc.narg(detail));

-- name: FinishReconciliation :one
-- The run ends once: no row when it had ended before.
UPDATE reconciliations SET status = @status, error = sqlc.narg(error), finished_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'running'
RETURNING *;
