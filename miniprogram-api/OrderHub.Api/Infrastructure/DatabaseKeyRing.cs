using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using OrderHub.Application.Data;

namespace OrderHub.Api.Infrastructure;

/// <summary>
/// Stores the data-protection key ring in OrderHub's own database, so a token issued by one node is valid on another
/// (several nodes behind a load balancer) and survives restarts and redeployments.
/// </summary>
public sealed class DatabaseKeyRing(Db db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var c = db.Open();
        return c.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var c = db.Open();
        c.Execute("INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now)",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
    }
}
