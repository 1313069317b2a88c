using Microsoft.AspNetCore.Authorization;
using OrderHub.Domain.People;

namespace OrderHub.Api.Auth;

/// <summary>Who may call what. The server enforces these; the pages only mirror them.</summary>
public static class Policies
{
    public const string Customer = "customer";
    public const string Agent = "agent";
    /// <summary>Any back-office role.</summary>
    public const string Staff = "staff";
    /// <summary>业务审核: clerk or admin.</summary>
    public const string SalesReview = "sales-review";
    /// <summary>财务审核, payments, credit: finance or admin.</summary>
    public const string Finance = "finance";
    /// <summary>出库, 发货: warehouse or admin.</summary>
    public const string Warehouse = "warehouse";
    public const string Admin = "admin";

    public static void Add(AuthorizationOptions o)
    {
        o.AddPolicy(Customer, p => p.RequireRole(Roles.Customer));
        o.AddPolicy(Agent, p => p.RequireRole(Roles.Agent));
        o.AddPolicy(Staff, p => p.RequireRole(Roles.StaffNames));
        o.AddPolicy(SalesReview, p => p.RequireRole(Roles.Clerk, Roles.Admin));
        o.AddPolicy(Finance, p => p.RequireRole(Roles.Finance, Roles.Admin));
        o.AddPolicy(Warehouse, p => p.RequireRole(Roles.Warehouse, Roles.Admin));
        o.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
    }
}
