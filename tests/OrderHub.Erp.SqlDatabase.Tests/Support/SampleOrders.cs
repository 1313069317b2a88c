namespace OrderHub.Erp.SqlDatabase.Tests.Support;

public static class SampleOrders
{
    public static ErpOrder Sample(string number, string customer = "C001", string product2 = "P002") => new(
        number, customer, "WH1",
        [new ErpOrderLine("P001", 48, 180), new ErpOrderLine(product2, 24, 230)],
        "广州市天河区体育西路1号", "请上午送货");
}
