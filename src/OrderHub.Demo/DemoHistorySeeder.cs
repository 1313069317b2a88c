using System.Data.Common;
using Dapper;
using OrderHub.Application.Ordering;
using OrderHub.Application.Returns;
using OrderHub.Application.Statements;
using OrderHub.DemoData;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Time;
using static OrderHub.Demo.DemoDataSeeder;

namespace OrderHub.Demo;

/// <summary>
/// Writes a <see cref="DemoHistory"/> in the seed's transaction, in bulk, with the rows production writes for the same
/// events: an order and its lines as <see cref="OrderPlacement"/> stores them (its number made by
/// <see cref="OrderPlacement.OrderNumber"/>, a <c>submit</c> event, the last price paid), 发货 as the order flow books it
/// (the lines' unit cost, an <c>order</c> debit of the total on the store's ledger, the event), a reserving order's
/// quantities reserved in its warehouse, a payment as the finance desk records it (a <c>payment</c> credit), and a return as
/// the returns flow completes it (request, line with the received quantity, a <c>return</c> credit with its
/// <c>return:&lt;id&gt;</c> reference). So statements, reports and insight all read one consistent history.
/// </summary>
internal static class DemoHistorySeeder
{
    public static async Task InsertAsync(DbConnection c, DbTransaction tx, DemoDataSet d, DemoHistory h, CancellationToken ct)
    {
        if (h.Orders.Count == 0) return;
        var customers = await Ids(c, tx, "customers", "code");
        var products = await Ids(c, tx, "products", "sku");
        var agents = await Ids(c, tx, "agents", "code");
        var warehouses = await Ids(c, tx, "warehouses", "code");
        var owners = (await c.QueryAsync<(long CustomerId, long Id, string Name)>("SELECT customer_id, id, name FROM customer_users WHERE role = 'owner' ORDER BY id", transaction: tx))
            .GroupBy(u => u.CustomerId).ToDictionary(g => g.Key, g => g.First());
        var stores = d.Customers.ToDictionary(x => x.Code);
        var items = d.Products.ToDictionary(p => p.Sku);
        var agentNames = d.Agents.ToDictionary(a => a.Code, a => a.Name);
        var warehouseMan = d.Staff.FirstOrDefault(s => s.Role == "warehouse")?.Name ?? "仓库";
        var finance = d.Staff.FirstOrDefault(s => s.Role == "finance")?.Name ?? "财务";

        // Orders first, numbered by their key; their real numbers once the ids are known.
        await DemoDataSeeder.InsertAsync(c, tx, """
            orders (order_no, customer_id, channel, placed_by_kind, placed_by_id, agent_id, attribution, status, warehouse_id, contact_name,
                    contact_phone, delivery_address, goods_fen, discount_fen, total_fen, reject_reason, cancel_reason, erp_queued, version,
                    created_at, updated_at, shipped_at, received_at)
            """, h.Orders.Select(o =>
        {
            var s = stores[o.CustomerCode];
            var id = customers[o.CustomerCode];
            var proxy = o.Channel == "proxy" && o.AgentCode is not null;
            return Row(o.Key, id, proxy ? "proxy" : "self", proxy ? "agent" : "customer_user", proxy ? agents[o.AgentCode!] : owners[id].Id,
                o.AgentCode is null ? null : agents[o.AgentCode], o.AgentCode is null ? null : proxy ? "proxy" : "owner", o.Status,
                warehouses[s.WarehouseCode], s.ContactName, s.Phone, s.Address, o.GoodsFen, o.DiscountFen, o.TotalFen,
                o.Status == OrderStatus.Rejected ? o.EndReason : null, o.Status == OrderStatus.Cancelled ? o.EndReason : null, false, 1,
                o.CreatedAtMs, o.ReceivedAtMs ?? o.ShippedAtMs ?? o.CreatedAtMs, o.ShippedAtMs, o.ReceivedAtMs);
        }), ct);
        var keys = await Ids(c, tx, "orders", "order_no");
        var orderIds = h.Orders.ToDictionary(o => o.Key, o => keys[o.Key]);
        var numbers = h.Orders.ToDictionary(o => o.Key, o => OrderPlacement.OrderNumber(orderIds[o.Key], o.CreatedAtMs));
        await c.ExecuteAsync("UPDATE orders SET order_no = @No WHERE id = @Id",
            h.Orders.Select(o => new { No = numbers[o.Key], Id = orderIds[o.Key] }), tx);

        await DemoDataSeeder.InsertAsync(c, tx, """
            order_lines (order_id, line_no, product_id, sku, name, spec, unit, quantity, unit_price_fen, amount_fen, price_source, price_reason,
                         is_gift, unit_cost_fen)
            """, h.Orders.SelectMany(o => o.Lines.Select((l, i) =>
        {
            var p = items[l.Sku];
            return Row(orderIds[o.Key], i + 1, products[l.Sku], l.Sku, p.Name, p.Spec, p.Unit, l.Quantity, l.UnitPriceFen, l.AmountFen,
                l.PriceSource, l.PriceReason, l.IsGift, l.UnitCostFen);
        })), ct);

        // The timeline: submitted, then the move that ended where it is (shipped, received, rejected, cancelled).
        await DemoDataSeeder.InsertAsync(c, tx, "order_events (order_id, at, actor_kind, actor_id, actor_name, action, from_status, to_status, note)",
            h.Orders.SelectMany(o =>
            {
                var id = customers[o.CustomerCode];
                var proxy = o.Channel == "proxy" && o.AgentCode is not null;
                var first = o.Status is OrderStatus.PendingFinanceReview ? OrderStatus.PendingFinanceReview : OrderStatus.PendingSalesReview;
                var events = new List<object?[]>
                {
                    proxy ? Row(orderIds[o.Key], o.CreatedAtMs, "agent", agents[o.AgentCode!], agentNames[o.AgentCode!], "submit", null, first, $"业务员 {agentNames[o.AgentCode!]} 代客下单")
                          : Row(orderIds[o.Key], o.CreatedAtMs, "customer_user", owners[id].Id, owners[id].Name, "submit", null, first, null),
                };
                if (o.ShippedAtMs is { } shipped)
                    events.Add(Row(orderIds[o.Key], shipped, "staff", null, warehouseMan, OrderFlowRules.ActionName(OrderAction.Ship), OrderStatus.PendingShipment, OrderStatus.Shipped, null));
                if (o.ReceivedAtMs is { } received)
                    events.Add(Row(orderIds[o.Key], received, "customer_user", owners[id].Id, owners[id].Name, OrderFlowRules.ActionName(OrderAction.Receive), OrderStatus.Shipped, OrderStatus.Received, null));
                if (o.Status is OrderStatus.Rejected or OrderStatus.Cancelled)
                    events.Add(Row(orderIds[o.Key], o.CreatedAtMs + 3_600_000, o.Status == OrderStatus.Rejected ? "staff" : "customer_user",
                        o.Status == OrderStatus.Rejected ? null : owners[id].Id, o.Status == OrderStatus.Rejected ? finance : owners[id].Name,
                        OrderFlowRules.ActionName(o.Status == OrderStatus.Rejected ? OrderAction.Reject : OrderAction.Cancel), first, o.Status, o.EndReason));
                return events;
            }), ct);

        // What a store last paid for each product (the catalog's 上次价), from its revenue orders.
        await DemoDataSeeder.InsertAsync(c, tx, "customer_last_prices (customer_id, product_id, price_fen, quantity, paid_at)",
            h.Orders.Where(o => o.Status is not (OrderStatus.Rejected or OrderStatus.Cancelled))
                .SelectMany(o => o.Lines.Where(l => !l.IsGift).Select(l => (o.CustomerCode, l, o.CreatedAtMs)))
                .GroupBy(x => (x.CustomerCode, x.l.Sku)).Select(g => g.MaxBy(x => x.CreatedAtMs))
                .Select(x => Row(customers[x.CustomerCode], products[x.l.Sku], x.l.UnitPriceFen, x.l.Quantity, x.CreatedAtMs)), ct);

        // Open orders hold their goods (on hand raised where the generated stock was short, as if the ERP had just received them).
        foreach (var (warehouse, productId, qty) in h.Orders.Where(o => OrderStatus.Reserving.Contains(o.Status))
                     .SelectMany(o => o.Lines.Select(l => (W: warehouses[stores[o.CustomerCode].WarehouseCode], P: products[l.Sku], l.Quantity)))
                     .GroupBy(x => (x.W, x.P)).Select(g => (g.Key.W, g.Key.P, g.Sum(x => x.Quantity))))
            await c.ExecuteAsync("""
                UPDATE stock SET reserved = reserved + @qty, on_hand = CASE WHEN on_hand < reserved + @qty THEN reserved + @qty ELSE on_hand END
                WHERE product_id = @productId AND warehouse_id = @warehouse
                """, new { qty, productId, warehouse }, tx);

        // The ledger: 发货 debits the order total; payments and returns credit.
        var ledger = new List<(long At, object?[] Row)>();
        foreach (var o in h.Orders.Where(o => o.ShippedAtMs is not null))
            ledger.Add((o.ShippedAtMs!.Value, Row(customers[o.CustomerCode], LedgerKinds.Order, o.TotalFen, o.ShippedAtMs, orderIds[o.Key], numbers[o.Key], null,
                "订单发货", warehouseMan, o.ShippedAtMs)));
        foreach (var p in h.Payments)
            ledger.Add((p.AtMs, Row(customers[p.CustomerCode], LedgerKinds.Payment, -p.AmountFen, p.AtMs, null, p.Reference, null, "货款（银行转账）", finance, p.AtMs)));

        if (h.Returns.Count > 0)
        {
            var byKey = h.Orders.ToDictionary(o => o.Key);
            var seq = 0;
            await DemoDataSeeder.InsertAsync(c, tx, """
                return_requests (return_no, order_id, customer_id, status, reason, photo_ids, requested_by_kind, requested_by_id, requested_fen,
                                 credit_fen, refund_fen, erp_queued, version, created_at, updated_at, received_at, completed_at)
                """, h.Returns.Select(r =>
            {
                var o = byKey[r.OrderKey];
                var id = customers[o.CustomerCode];
                return Row($"RT{ShanghaiTime.FromUnixMs(r.RequestedAtMs):yyyyMMdd}{++seq:D6}", orderIds[r.OrderKey], id, ReturnStatus.Completed, r.Reason, "[]",
                    "customer_user", owners[id].Id, r.CreditFen, r.CreditFen, 0L, false, 1, r.RequestedAtMs, r.CompletedAtMs, r.ReceivedAtMs, r.CompletedAtMs);
            }), ct);
            var returns = (await c.QueryAsync<(long Id, string No, long OrderId)>("SELECT id, return_no, order_id FROM return_requests ORDER BY id", transaction: tx)).ToList();
            var lines = (await c.QueryAsync<(long Id, long OrderId, int LineNo)>("SELECT id, order_id, line_no FROM order_lines WHERE order_id IN (SELECT order_id FROM return_requests)", transaction: tx))
                .ToDictionary(l => (l.OrderId, l.LineNo), l => l.Id);
            await DemoDataSeeder.InsertAsync(c, tx, "return_lines (return_id, order_line_id, product_id, quantity, received_quantity)",
                h.Returns.Select((r, i) => Row(returns[i].Id, lines[(orderIds[r.OrderKey], r.LineNo)], products[byKey[r.OrderKey].Lines[r.LineNo - 1].Sku], r.Quantity, r.Quantity)), ct);
            foreach (var (r, i) in h.Returns.Select((r, i) => (r, i)))
            {
                var o = byKey[r.OrderKey];
                ledger.Add((r.CompletedAtMs, Row(customers[o.CustomerCode], LedgerKinds.Return, -r.CreditFen, r.CompletedAtMs, orderIds[r.OrderKey], returns[i].No,
                    $"return:{returns[i].Id}", $"退货 {returns[i].No}（订单 {numbers[r.OrderKey]}）", finance, r.CompletedAtMs)));
            }
        }
        await DemoDataSeeder.InsertAsync(c, tx, "ledger_entries (customer_id, kind, amount_fen, occurred_at, order_id, reference, external_ref, note, created_by, created_at)",
            ledger.OrderBy(x => x.At).Select(x => x.Row), ct);
    }
}
