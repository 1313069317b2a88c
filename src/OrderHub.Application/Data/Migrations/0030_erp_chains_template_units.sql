-- Chains from the ERP (issue #17): who set a branch's head office. 'erp' = the customers feed (it follows the ERP, and
-- clears it when the ERP does); 'manual' = a person in the console (PUT /api/admin/customers/{id}/head-office), which the
-- feed leaves alone unless Chains:ErpOverridesConsole; NULL = never set. parent_erp_code (0022) keeps the ERP's code of the
-- head office until that customer is known.
ALTER TABLE customers ADD COLUMN parent_source TEXT NULL;
UPDATE customers SET parent_source = 'manual' WHERE parent_customer_id IS NOT NULL;

-- An order template keeps the unit each line was saved in (NULL = the base unit); quantity stays in base units.
ALTER TABLE order_template_lines ADD COLUMN unit TEXT NULL;
