-- The catalog's change counter. Every write to what the per-node catalog snapshot holds (products, categories, price
-- lists, promotions, assortment rules) adds one in the same transaction; a node compares it with its snapshot's on each
-- catalog read, in the same round trip, and reloads when it moved. Stock and customer prices are not in the snapshot.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);
