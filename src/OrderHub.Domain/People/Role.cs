namespace OrderHub.Domain.People;

/// <summary>Who acts: a store's user, a field agent, back-office staff by job, or the ERP itself (status flowing back).</summary>
public enum Role { Customer, Agent, Clerk, Finance, Warehouse, Admin, Erp }

/// <summary>The one mapping between <see cref="Role"/> and its text in tokens (role claim) and in the database (staff.role).</summary>
public static class Roles
{
    public const string Customer = "customer", Agent = "agent", Clerk = "clerk", Finance = "finance",
        Warehouse = "warehouse", Admin = "admin", Erp = "erp";

    /// <summary>Back-office staff roles, as stored in staff.role.</summary>
    public static readonly Role[] Staff = [Role.Clerk, Role.Finance, Role.Warehouse, Role.Admin];
    public static readonly string[] StaffNames = Staff.Select(Name).ToArray();

    public static string Name(this Role role) => role switch
    {
        Role.Customer => Customer,
        Role.Agent => Agent,
        Role.Clerk => Clerk,
        Role.Finance => Finance,
        Role.Warehouse => Warehouse,
        Role.Admin => Admin,
        Role.Erp => Erp,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static Role? Parse(string? text) => text switch
    {
        Customer => Role.Customer,
        Agent => Role.Agent,
        Clerk => Role.Clerk,
        Finance => Role.Finance,
        Warehouse => Role.Warehouse,
        Admin => Role.Admin,
        Erp => Role.Erp,
        _ => null,
    };

    public static bool IsStaff(this Role role) => role is Role.Clerk or Role.Finance or Role.Warehouse or Role.Admin;

    /// <summary>内勤 / 财务 / 仓库 / 管理员 …: how the console names a role.</summary>
    public static string Label(this Role role) => role switch
    {
        Role.Customer => "门店",
        Role.Agent => "业务员",
        Role.Clerk => "内勤",
        Role.Finance => "财务",
        Role.Warehouse => "仓库",
        Role.Admin => "管理员",
        _ => "ERP",
    };
}
