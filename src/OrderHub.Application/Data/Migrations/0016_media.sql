-- Uploaded images (issue #15: 巡店拍照, product images): one store for every upload. The file lives under the media
-- folder (Media:Folder) with a server-chosen name; a row says what it is, who uploaded it and what for.
CREATE TABLE media (
    id {id},
    file_name TEXT NOT NULL UNIQUE,       -- <32 hex>.<jpg|png|webp>, chosen by the server
    thumb_name TEXT NULL,                 -- <32 hex>_t.jpg, the resized copy (null when it could not be made)
    content_type TEXT NOT NULL,           -- image/jpeg | image/png | image/webp, from the file's magic bytes
    size_bytes BIGINT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    purpose TEXT NOT NULL,                -- visit_photo | product_image
    owner_kind TEXT NOT NULL,             -- agent | staff | system
    owner_id BIGINT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_media_owner ON media (owner_kind, owner_id, purpose);
-- A visit's photos, by media id (JSON array). The older photo_urls column still holds URLs clients sent before uploads.
ALTER TABLE visits ADD COLUMN photo_ids TEXT NOT NULL DEFAULT '[]';
-- The image staff uploaded for a product. The ERP's image_urls never overwrite it: a sync does not touch this column.
ALTER TABLE products ADD COLUMN image_id BIGINT NULL REFERENCES media(id);
