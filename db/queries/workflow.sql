-- Queries of the contract and webhook-event workflows' activities. Each write is
-- guarded (status in the WHERE clause, ON CONFLICT on the UNIQUE keys) so that an
-- activity retried after it committed changes nothing the second time.

-- name: ActivateDraftContract :one
UPDATE contracts SET status = 'active', activated_at = now(), workflow_id = @workflow_id, last_error = NULL, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'draft'
RETURNING *;

-- name: GetInstallmentByNumber :one
SELECT * FROM installments WHERE account_id = $1 AND contract_id = $2 AND number = $3;

-- name: GetChargeByInstallment :one
-- The installment's current charge (a re-issued charge supersedes the old one).
SELECT * FROM charges WHERE account_id = $1 AND installment_id = $2 AND superseded_at IS NULL;

-- name: InsertCharge :one
INSERT INTO charges (account_id, contract_id, installment_id, asaas_payment_id, external_reference,
                     billing_type, status, value, net_value, due_date, invoice_url, bank_slip_url, pix_copy_paste)
VALUES (@account_id, @contract_id, @installment_id, @asaas_payment_id, @external_reference,
        @billing_type, @status, @value, @net_value, @due_date, @invoice_url, @bank_slip_url, @pix_copy_paste)
ON CONFLICT (installment_id) WHERE superseded_at IS NULL DO NOTHING
RETURNING *;

-- name: OpenInstallment :execrows
UPDATE installments SET status = 'open', updated_at = now()
WHERE account_id = $1 AND id = $2 AND status = 'scheduled';

-- name: SetClientAsaasCustomer :execrows
UPDATE clients SET asaas_customer_id = @asaas_customer_id, updated_at = now()
WHERE account_id = @account_id AND id = @id AND (asaas_customer_id IS NULL OR asaas_customer_id = @asaas_customer_id);

-- name: SetContractError :exec
UPDATE contracts SET last_error = @last_error, updated_at = now() WHERE account_id = @account_id AND id = @id;

-- name: GetPaymentByInstallment :one
-- The installment's payment (an undone cash receipt is no longer its payment).
SELECT * FROM payments WHERE account_id = $1 AND installment_id = $2 AND status <> 'undone';

-- name: GetInstallmentForPayment :one
-- What recording a payment reads, in one statement: the installment, its
-- payment if it has one (GetPaymentByInstallment: an undone cash receipt is no
-- longer its payment) and its current charge if it has one
-- (GetChargeByInstallment: a re-issued charge supersedes the old one). Each is
-- unique (payments_installment_live_idx; charges' one live charge per installment).
SELECT i.id,
       p.id AS payment_id, p.status AS payment_status, p.asaas_payment_id AS payment_asaas_payment_id,
       p.shortfall AS payment_shortfall,
       c.id AS charge_id, c.asaas_payment_id AS charge_asaas_payment_id
FROM installments i
LEFT JOIN payments p ON p.account_id = i.account_id AND p.installment_id = i.id AND p.status <> 'undone'
LEFT JOIN charges c ON c.account_id = i.account_id AND c.installment_id = i.id AND c.superseded_at IS NULL
WHERE i.account_id = @account_id AND i.contract_id = @contract_id AND i.number = @number;

-- name: InsertPayment :one
INSERT INTO payments (account_id, contract_id, installment_id, charge_id, asaas_payment_id, origin, recorded_by,
                      amount, net_amount, fee_amount, paid_on, settled_on, status, shortfall)
VALUES (@account_id, @contract_id, @installment_id, @charge_id, @asaas_payment_id, @origin, @recorded_by,
        @amount, @net_amount, @fee_amount, @paid_on, @settled_on, @status, @shortfall)
ON CONFLICT DO NOTHING
RETURNING *;

-- name: InsertSplitEntry :one
INSERT INTO split_entries (account_id, payment_id, contract_id, payee_id, rule_position, kind, amount, status,
                           reverses_entry_id, occurred_on)
VALUES (@account_id, @payment_id, @contract_id, @payee_id, @rule_position, @kind, @amount, @status,
        @reverses_entry_id, @occurred_on)
RETURNING *;

-- name: InsertSplitEntries :many
-- A payment's allocation entries in one statement, in the order given (the rows
-- InsertSplitEntry would write one at a time). Arrays of one element per entry:
-- payee_ids empty for no payee, rule_positions 0 for no rule (positions start at 1).
INSERT INTO split_entries (account_id, payment_id, contract_id, payee_id, rule_position, kind, amount, status, occurred_on)
SELECT @account_id::uuid, @payment_id::uuid, @contract_id::uuid, NULLIF((@payee_ids::text[])[n], '')::uuid,
       NULLIF((@rule_positions::int[])[n], 0), (@kinds::text[])[n], (@amounts::numeric[])[n], (@statuses::text[])[n],
       @occurred_on::date
FROM generate_subscripts(@kinds::text[], 1) AS n
ORDER BY n
RETURNING id, payee_id, kind, amount, status;

-- name: ListPaymentEntries :many
SELECT * FROM split_entries WHERE account_id = $1 AND payment_id = $2 ORDER BY created_at, id;

-- name: SetEntryStatus :exec
UPDATE split_entries SET status = @status, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = @from_status;

-- name: MarkInstallmentPaid :execrows
UPDATE installments SET status = 'paid', paid_at = now(), updated_at = now()
WHERE account_id = $1 AND id = $2 AND status IN ('scheduled', 'open', 'overdue');

-- name: SetChargeStatus :exec
UPDATE charges SET status = @status, net_value = COALESCE(sqlc.narg(net_value), net_value), updated_at = now()
WHERE account_id = @account_id AND asaas_payment_id = @asaas_payment_id;

-- name: MarkInstallmentPaidAndCharge :exec
-- A payment recorded: its installment paid (MarkInstallmentPaid) and, when it
-- came through Asaas (asaas_payment_id not ''), that charge's status and net
-- value (SetChargeStatus), in one statement.
WITH installment AS (
    UPDATE installments SET status = 'paid', paid_at = now(), updated_at = now()
    WHERE installments.account_id = @account_id AND installments.id = @installment_id
      AND installments.status IN ('scheduled', 'open', 'overdue')
)
UPDATE charges SET status = @charge_status, net_value = COALESCE(sqlc.narg(net_value), net_value), updated_at = now()
WHERE charges.account_id = @account_id AND charges.asaas_payment_id = @asaas_payment_id::text AND @asaas_payment_id::text <> '';

-- name: SettlePayment :execrows
UPDATE payments SET status = 'received', settled_on = @settled_on, updated_at = now()
WHERE account_id = @account_id AND installment_id = @installment_id AND status = 'confirmed';

-- name: MarkInstallmentsOverdue :many
UPDATE installments SET status = 'overdue', updated_at = now()
WHERE account_id = @account_id AND contract_id = @contract_id AND number = ANY(@numbers::int[]) AND status = 'open'
RETURNING number;

-- name: RefundPayment :execrows
UPDATE payments SET status = 'refunded', updated_at = now()
WHERE account_id = $1 AND id = $2 AND status <> 'refunded';

-- name: RefundInstallment :execrows
UPDATE installments SET status = 'refunded', updated_at = now()
WHERE account_id = $1 AND id = $2 AND status = 'paid';

-- name: SetChargeDeleted :execrows
UPDATE charges SET deleted_at = CASE WHEN @deleted::bool THEN COALESCE(deleted_at, now()) ELSE NULL END, updated_at = now()
WHERE account_id = @account_id AND asaas_payment_id = @asaas_payment_id
  AND (deleted_at IS NULL) = @deleted::bool;

-- name: CancelInstallments :many
UPDATE installments SET status = 'cancelled', updated_at = now()
WHERE account_id = @account_id AND contract_id = @contract_id AND number = ANY(@numbers::int[])
  AND status IN ('scheduled', 'open', 'overdue')
RETURNING number;

-- name: CancelActiveContract :execrows
UPDATE contracts SET status = 'cancelled', cancelled_at = now(), cancel_reason = @cancel_reason, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'active';

-- name: CompleteActiveContract :execrows
UPDATE contracts SET status = 'completed', completed_at = now(), updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'active';

-- name: GetBillForUpdate :one
SELECT * FROM bills WHERE account_id = $1 AND asaas_bill_id = $2 FOR UPDATE;

-- name: InsertBill :one
INSERT INTO bills (account_id, asaas_bill_id, status, value, due_date, payment_date, transaction_receipt_url,
                   fail_reasons, can_be_cancelled, status_event_at)
VALUES (@account_id, @asaas_bill_id, @status, @value, @due_date, @payment_date, @transaction_receipt_url,
        @fail_reasons, @can_be_cancelled, @status_event_at)
ON CONFLICT (account_id, asaas_bill_id) DO NOTHING
RETURNING *;

-- name: UpdateBillStatus :exec
UPDATE bills SET status = @status, value = @value, due_date = @due_date, payment_date = @payment_date,
    transaction_receipt_url = @transaction_receipt_url, fail_reasons = @fail_reasons,
    can_be_cancelled = @can_be_cancelled, status_event_at = @status_event_at, updated_at = now()
WHERE account_id = @account_id AND id = @id;

-- name: InsertBillStatus :execrows
INSERT INTO bill_status_history (account_id, bill_id, status, asaas_event_id, event_created_at)
VALUES (@account_id, @bill_id, @status, @asaas_event_id, @event_created_at)
ON CONFLICT (bill_id, asaas_event_id) DO NOTHING;

-- name: ClaimContractActivation :one
-- The API claims a draft for activation before it starts the workflow: from here
-- on the draft cannot be edited (the workflow's first activity makes it active).
UPDATE contracts SET workflow_id = @workflow_id, updated_at = now()
WHERE account_id = @account_id AND id = @id AND status = 'draft'
RETURNING *;
