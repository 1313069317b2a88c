-- A small ERP database in the style of 用友 U8 (inventory, warehouses and current stock, price adjustments per customer
-- class and customer, customers with receivables, receipts, sales orders with a status log), on PostgreSQL.
-- sample-erp-settings.postgres.json holds the adapter's queries for it. Times are local (Asia/Shanghai), without offset.

CREATE TABLE inventory_class (ccode text PRIMARY KEY, cname text NOT NULL, cparent text REFERENCES inventory_class);

CREATE TABLE inventory (
    cinvcode    text PRIMARY KEY,
    cinvname    text NOT NULL,
    cinvstd     text,
    cunit       text NOT NULL,
    ipacksize   int NOT NULL DEFAULT 1,
    iminqty     int,
    cbarcode    text,
    cbrand      text,
    cclasscode  text REFERENCES inventory_class,
    iprice      numeric(18,4) NOT NULL,            -- base price, yuan
    ccurrency   text NOT NULL DEFAULT 'CNY',
    bstop       boolean NOT NULL DEFAULT false,    -- 停用
    dmodifytime timestamp(6) NOT NULL DEFAULT localtimestamp);

CREATE TABLE warehouse (cwhcode text PRIMARY KEY, cwhname text NOT NULL);

CREATE TABLE currentstock (
    cinvcode    text NOT NULL REFERENCES inventory,
    cwhcode     text NOT NULL REFERENCES warehouse,
    iquantity   numeric(18,2) NOT NULL,
    dmodifytime timestamp(6) NOT NULL DEFAULT localtimestamp,
    PRIMARY KEY (cinvcode, cwhcode));

CREATE TABLE customer_class (ccode text PRIMARY KEY, cname text NOT NULL);

CREATE TABLE customer (
    ccuscode    text PRIMARY KEY,
    ccusname    text NOT NULL,
    ccontact    text,
    cphone      text,
    caddress    text,
    cclasscode  text REFERENCES customer_class,
    icreditline numeric(18,2) NOT NULL DEFAULT 0,  -- 信用额度, yuan
    ireceivable numeric(18,2) NOT NULL DEFAULT 0,  -- 应收余额, yuan
    bstop       boolean NOT NULL DEFAULT false,
    dmodifytime timestamp(6) NOT NULL DEFAULT localtimestamp);

-- Prices per customer class (价格组) with quantity tiers, and per customer (客户价; btrack = 客户跟踪价).
CREATE TABLE price_adjust (
    iid         serial PRIMARY KEY,
    cinvcode    text NOT NULL REFERENCES inventory,
    ctype       text NOT NULL CHECK (ctype IN ('class', 'customer')),
    ctarget     text NOT NULL,
    iminqty     numeric(18,2) NOT NULL DEFAULT 1,
    iprice      numeric(18,4),
    ccurrency   text NOT NULL DEFAULT 'CNY',
    btrack      boolean NOT NULL DEFAULT false,
    bdeleted    boolean NOT NULL DEFAULT false,
    dmodifytime timestamp(6) NOT NULL DEFAULT localtimestamp);

CREATE TABLE receipt (                             -- 收款单 (a refund 收款退款单 is a red one: negative amount, cpurpose refund)
    cvouchcode  text PRIMARY KEY,
    ccuscode    text NOT NULL REFERENCES customer,
    iamount     numeric(18,2) NOT NULL,
    ddate       timestamp NOT NULL,
    cmemo       text,
    dmodifytime timestamp(6) NOT NULL DEFAULT localtimestamp,
    csource     text UNIQUE,                       -- OrderHub's receipt number (out_trade_no / TR…) of a receipt it wrote
    csettle     text,                              -- 结算方式: wechat | transfer
    cpurpose    text);                             -- 收款用途: sale 销售收款 | advance 预收款 | refund 退款
CREATE SEQUENCE receipt_code_seq;

CREATE SEQUENCE so_code_seq;

CREATE TABLE so_main (                             -- 销售订单主表
    id            serial PRIMARY KEY,
    csocode       text NOT NULL UNIQUE DEFAULT 'SO' || lpad(nextval('so_code_seq')::text, 6, '0'),
    cexternalcode text UNIQUE,                     -- OrderHub's order number
    ccuscode      text NOT NULL REFERENCES customer,
    cwhcode       text REFERENCES warehouse,
    caddress      text,
    cmemo         text,
    isum          numeric(18,2) NOT NULL,
    ddate         timestamp NOT NULL,
    cinvtype      text,                            -- 发票类型 普票 | 专票 (the order's invoice title, NULL when none)
    cinvtitle     text,                            -- 发票抬头
    ctaxno        text,                            -- 税号
    cinvbank      text,                            -- 开户行
    cinvaccount   text,                            -- 账号
    cinvaddress   text,                            -- 地址
    cinvphone     text,                            -- 电话
    cstatus       text NOT NULL DEFAULT '开立');  -- 开立 → 审核 → 拣货 → 发货 → 签收, or 关闭

CREATE TABLE so_details (                          -- 销售订单子表
    id         serial PRIMARY KEY,
    so_id      int NOT NULL REFERENCES so_main,
    irowno     int NOT NULL,
    cinvcode   text NOT NULL REFERENCES inventory,
    iquantity  numeric(18,2) NOT NULL CHECK (iquantity > 0),
    iunitprice numeric(18,4) NOT NULL,
    isum       numeric(18,2) NOT NULL);

CREATE TABLE so_status_log (
    iid      bigserial PRIMARY KEY,
    so_id    int NOT NULL REFERENCES so_main,
    cstatus  text NOT NULL,
    dchanged timestamp(6) NOT NULL DEFAULT localtimestamp,
    cnote    text);

CREATE FUNCTION so_log_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.cstatus IS DISTINCT FROM OLD.cstatus THEN
        INSERT INTO so_status_log (so_id, cstatus) VALUES (NEW.id, NEW.cstatus);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER so_main_status AFTER INSERT OR UPDATE OF cstatus ON so_main FOR EACH ROW EXECUTE FUNCTION so_log_status();

-- The same order write as one call, for ERPs that want orders through their own procedure.
CREATE FUNCTION orderhub_create_so(p_order_number text, p_customer text, p_warehouse text, p_address text, p_note text,
                                   p_ordered_at timestamp, p_lines jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_id int;
    v_code text;
BEGIN
    INSERT INTO so_main (cexternalcode, ccuscode, cwhcode, caddress, cmemo, isum, ddate)
    VALUES (p_order_number, p_customer, p_warehouse, p_address, p_note,
            (SELECT coalesce(sum((l->>'amount')::numeric), 0) FROM jsonb_array_elements(p_lines) l), p_ordered_at)
    RETURNING id, csocode INTO v_id, v_code;
    INSERT INTO so_details (so_id, irowno, cinvcode, iquantity, iunitprice, isum)
    SELECT v_id, (l->>'lineNo')::int, l->>'productCode', (l->>'quantity')::numeric, (l->>'unitPrice')::numeric, (l->>'amount')::numeric
    FROM jsonb_array_elements(p_lines) l;
    RETURN v_code;
END $$;

-- 销售退货单: a customer return, written by OrderHub's PushReturn statements.
CREATE SEQUENCE rd_code_seq;
CREATE TABLE so_return_main (
    id            serial PRIMARY KEY,
    ccode         text NOT NULL UNIQUE DEFAULT 'TH' || lpad(nextval('rd_code_seq')::text, 6, '0'),
    cexternalcode text UNIQUE,                     -- OrderHub's return number
    csocode       text,                            -- the sales order the goods came from
    ccuscode      text NOT NULL REFERENCES customer,
    cwhcode       text REFERENCES warehouse,
    creason       text,
    isum          numeric(18,2) NOT NULL,
    ddate         timestamp NOT NULL);
CREATE TABLE so_return_details (
    id         serial PRIMARY KEY,
    return_id  int NOT NULL REFERENCES so_return_main,
    irowno     int NOT NULL,
    cinvcode   text NOT NULL REFERENCES inventory,
    iquantity  numeric(18,2) NOT NULL CHECK (iquantity > 0),
    iunitprice numeric(18,4) NOT NULL,
    isum       numeric(18,2) NOT NULL);
