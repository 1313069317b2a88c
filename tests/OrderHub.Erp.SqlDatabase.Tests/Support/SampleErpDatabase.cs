using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using OrderHub.Testing;

namespace OrderHub.Erp.SqlDatabase.Tests.Support;

/// <summary>
/// A fresh PostgreSQL database holding the sample ERP schema (sample-erp-schema.postgres.sql) with a little master data,
/// and the adapter settings from sample-erp-settings.postgres.json pointed at it.
/// </summary>
public sealed class SampleErpDatabase
{
    public string ConnectionString { get; }

    private SampleErpDatabase(string connectionString) => ConnectionString = connectionString;

    public static async Task<SampleErpDatabase> CreateAsync(bool withMasterData = true)
    {
        var db = new SampleErpDatabase(PostgresCluster.CreateDatabase());
        await db.ExecAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sample-erp-schema.postgres.sql")));
        if (withMasterData) await db.ExecAsync(MasterData);
        return db;
    }

    /// <summary>The sample settings, with this database's connection string.</summary>
    public SqlDatabaseErpOptions Options(Action<SqlDatabaseErpOptions>? change = null)
    {
        var options = LoadSampleOptions();
        options.ConnectionString = ConnectionString;
        change?.Invoke(options);
        return options;
    }

    public static SqlDatabaseErpOptions LoadSampleOptions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-erp-settings.postgres.json")));
        return json.RootElement.GetProperty("SqlDatabaseErp").Deserialize<SqlDatabaseErpOptions>(
            new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } })!;
    }

    public async Task ExecAsync(string sql, object? args = null)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.ExecuteAsync(sql, args);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? args = null)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        return (await c.QueryAsync<T>(sql, args)).ToList();
    }

    /// <summary>Local ERP time (Asia/Shanghai) as the tests write it.</summary>
    public static DateTimeOffset Local(string time) => new(DateTime.Parse(time), TimeSpan.FromHours(8));

    private const string MasterData = """
        INSERT INTO inventory_class VALUES ('01', '饮料', NULL), ('0101', '饮用水', '01'), ('0102', '碳酸饮料', '01'), ('02', '休闲食品', NULL);
        INSERT INTO inventory (cinvcode, cinvname, cinvstd, cunit, ipacksize, iminqty, cbarcode, cbrand, cclasscode, iprice, bstop, dmodifytime) VALUES
          ('P001', '农夫山泉饮用天然水', '550ml*24', '瓶', 24, 24, '6921168509256', '农夫山泉', '0101', 2.0000, false, '2025-01-10 09:00:00'),
          ('P002', '可口可乐', '330ml罐*24', '罐', 24, NULL, NULL, '可口可乐', '0102', 2.5000, false, '2025-01-10 09:00:01'),
          ('P003', '乐事原味薯片', '70g*22', '包', 22, 44, NULL, '乐事', '02', 7.0000, true, '2025-01-10 09:00:02');
        INSERT INTO warehouse VALUES ('WH1', '白云中心仓'), ('WH2', '番禺分仓');
        INSERT INTO currentstock VALUES
          ('P001', 'WH1', 480, '2025-01-10 09:10:00'), ('P001', 'WH2', 96, '2025-01-10 09:10:00'),
          ('P002', 'WH1', 240, '2025-01-10 09:10:01'), ('P003', 'WH1', 0, '2025-01-10 09:10:02');
        INSERT INTO customer_class VALUES ('KA', 'A类 重点客户'), ('SHOP', 'C类 便利店');
        INSERT INTO customer (ccuscode, ccusname, ccontact, cphone, caddress, cclasscode, icreditline, ireceivable, dmodifytime) VALUES
          ('C001', '天河陈记超市', '陈伟', '13800000001', '广州市天河区体育西路1号', 'KA', 50000.00, 1234.56, '2025-01-10 09:20:00'),
          ('C002', '番禺李记便利店', '李芳', '13800000002', '广州市番禺区市桥街2号', 'SHOP', 5000.00, 0, '2025-01-10 09:20:01');
        INSERT INTO price_adjust (cinvcode, ctype, ctarget, iminqty, iprice, btrack, dmodifytime) VALUES
          ('P001', 'class', 'KA', 1, 1.8000, false, '2025-01-10 09:30:00'),
          ('P001', 'class', 'KA', 240, 1.7600, false, '2025-01-10 09:30:00'),
          ('P002', 'customer', 'C001', 1, 2.3000, true, '2025-01-10 09:30:01');
        INSERT INTO receipt VALUES ('SK0001', 'C001', 500.00, '2025-01-10 15:00:00', '转账', '2025-01-10 15:00:05');
        """;
}
