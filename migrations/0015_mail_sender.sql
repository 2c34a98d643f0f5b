-- E-mail in the municipality's name (ADR 0021): the demo mailbox keeps the sender each message went
-- out as — the tenant's own (tenants.yaml `mail`) — so /dev/mailbox shows what a resident would see.
-- Rows stored before have none; the page shows the installation's SMTP_FROM for them, as it did.
ALTER TABLE dev_mailbox ADD COLUMN from_address text;
