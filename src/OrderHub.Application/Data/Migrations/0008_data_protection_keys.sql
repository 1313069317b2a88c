-- ASP.NET Core data-protection keys (they sign and encrypt the bearer tokens). Kept in the database so every node
-- of a deployment, and every restart, reads and writes the same key ring.
CREATE TABLE data_protection_keys (
    id {id},
    friendly_name TEXT NOT NULL,
    xml TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
