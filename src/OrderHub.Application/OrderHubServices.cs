using OrderHub.Application.Insight;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderHub.Application.Catalog;
using OrderHub.Application.CatalogAdmin;
using OrderHub.Application.Common.Scheduling;
using OrderHub.Settings;
using OrderHub.Application.Customers;
using OrderHub.Application.Data;
using OrderHub.Application.OrderFlow;
using OrderHub.Application.PreReview;
using OrderHub.Application.Ordering;
using OrderHub.Application.Reports;
using OrderHub.Application.Staff;
using OrderHub.Application.Statements;
using OrderHub.Application.Sync;
using OrderHub.Application.Visits;
using OrderHub.Application.Warehouse;
using OrderHub.Domain.Insight;
using OrderHub.Domain.Ordering;
using OrderHub.Domain.Pricing;

namespace OrderHub.Application;

/// <summary>
/// The application's services, one method per feature, each registering its settings (bound and validated at start),
/// its services and its scheduled work. Hosts (the API, the worker, test hosts) call <see cref="AddOrderHubApplication"/>
/// through OrderHub.Hosting; a test that needs one feature may call that feature's method alone.
/// </summary>
public static class OrderHubServices
{
    public static IServiceCollection AddOrderHubApplication(this IServiceCollection services, IConfiguration configuration) => services
        .AddOrderHubDatabase(configuration)
        .AddMedia()
        .AddCatalog()
        .AddOrdering()
        .AddStatements()
        .AddChainsAndTemplates()
        .AddNotifications()
        .AddReports()
        .AddInsightGrowth()
        .AddBackOffice()
        .AddErpSync();

    /// <summary><see cref="Db"/> from <c>Database:ConnectionString</c> (default: SQLite file data/orderhub.db) and the clock.</summary>
    public static IServiceCollection AddOrderHubDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new Db(sp.GetRequiredService<IConfiguration>()["Database:ConnectionString"] is { Length: > 0 } cs ? cs : Db.DefaultConnectionString));
        return services;
    }

    /// <summary>Uploaded images (visit photos, product images): <see cref="Media.ImageStore"/>. Settings <c>Media</c>.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddSettings<Media.MediaOptions>("Media");
        services.TryAddSingleton<Media.ImageStore>();
        return services;
    }

    /// <summary>Per-customer catalog and prices. Settings <c>Pricing</c>, <c>Catalog</c>.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddSettings<PricingOptions>("Pricing", rules: o => o.Order.Length == 0 ? ["Order must name at least one price rule"] : []);
        services.AddSettings<CatalogOptions>("Catalog");
        services.AddMedia();
        services.TryAddSingleton<PriceResolver>();
        services.TryAddSingleton<CatalogService>();
        services.TryAddSingleton<Favourites>();
        services.TryAddSingleton<CustomerContextQuery>();
        return services;
    }

    /// <summary>Carts, order placement, 订单流转 (single and batch), reorder, share links, agents' stores, invoice titles, the order export and the warehouse's paper. Settings <c>Ordering</c>, <c>OrderFlow</c>.</summary>
    public static IServiceCollection AddOrdering(this IServiceCollection services)
    {
        services.AddSettings<OrderingOptions>("Ordering");
        services.AddSettings<OrderFlowOptions>("OrderFlow");
        services.AddPreReview();
        services.TryAddSingleton<OrderQuoter>();
        services.TryAddSingleton<CartService>();
        services.TryAddSingleton<OrderPlacement>();
        services.TryAddSingleton<OrderQueries>();
        services.TryAddSingleton<OrderFlowService>();
        services.TryAddSingleton<BatchOrderActions>();
        services.TryAddSingleton<OrderExport>();
        services.TryAddSingleton<WarehousePaper>();
        services.TryAddSingleton<InvoiceTitles>();
        services.TryAddSingleton<DeliveryAddresses>();
        services.TryAddSingleton<Reorder>();
        services.TryAddSingleton<ShareLinks>();
        services.TryAddSingleton<AgentCustomers>();
        return services;
    }

    /// <summary>Chains (连锁: head office and branches, consolidated statement), order templates (常用单) and their recurring orders. Settings <c>Chains</c>; work <c>recurring-orders</c>.</summary>
    public static IServiceCollection AddChainsAndTemplates(this IServiceCollection services)
    {
        services.AddSettings<Chains.ChainOptions>("Chains");
        services.TryAddSingleton<Chains.ChainAdmin>();
        services.TryAddSingleton<Chains.ChainStatements>();
        services.TryAddSingleton<Templates.OrderTemplates>();
        services.TryAddSingleton<Templates.RecurringOrders>();
        if (!services.ScheduledWorks().Any(w => w.Key == "recurring-orders"))
            services.AddScheduledWork<Templates.RunRecurringOrders>("recurring-orders", "RecurringOrders", JobSchedule.Every(300));
        return services;
    }

    /// <summary>Statements (对账): ledger, period statements, customer accounts.</summary>
    public static IServiceCollection AddStatements(this IServiceCollection services)
    {
        services.TryAddSingleton<LedgerService>();
        services.TryAddSingleton<StatementService>();
        services.TryAddSingleton<CustomerAccountsQuery>();
        return services;
    }

    /// <summary>A store user's messages: the 消息 list, read marks, which kinds are pushed to WeChat. Settings <c>Notifications</c>.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSettings<OrderHub.Application.Notifications.NotificationOptions>("Notifications");
        services.TryAddSingleton<OrderHub.Application.Notifications.NotificationInbox>();
        return services;
    }

    /// <summary>Visits, customer insight, cadence alerts and the reports, with the refresh of their daily aggregates. Settings <c>Insight</c>.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSettings<InsightOptions>("Insight", rules: o => o.OverdueFactor <= 1 ? ["OverdueFactor must be above 1"] : []);
        services.AddMedia();
        services.TryAddSingleton<VisitLog>();
        services.TryAddSingleton<CustomerInsightQuery>();
        services.TryAddSingleton<CadenceAlerts>();
        services.TryAddSingleton<SalesReports>();
        services.TryAddSingleton<StorePurchasesReport>();
        services.TryAddSingleton<ReceivablesAgeingReport>();
        services.TryAddSingleton<KeyCustomersQuery>();
        services.TryAddSingleton<AgentPerformanceQuery>();
        services.TryAddSingleton<ReportAggregates>();
        if (!services.ScheduledWorks().Any(w => w.Key == "refresh-reports"))
            services.AddScheduledWork<RefreshReportAggregates>("refresh-reports", "RefreshReports", JobSchedule.Every(10));
        return services;
    }

    /// <summary>Staff accounts and sign-in, agents' assignments, the dashboard, catalog administration. Settings <c>BackOffice</c>.</summary>
    public static IServiceCollection AddBackOffice(this IServiceCollection services)
    {
        services.AddSettings<StaffSignInOptions>("BackOffice");
        services.AddSettings<BootstrapOptions>("Bootstrap");
        services.TryAddSingleton<PasswordSignIn>();
        services.TryAddSingleton<StaffAccounts>();
        services.TryAddSingleton<OrderHub.Application.People.MobileSignIn>();
        services.TryAddSingleton<OrderHub.Application.People.PeopleAdmin>();
        services.TryAddSingleton<AgentAssignments>();
        services.TryAddSingleton<BackOfficeDashboard>();
        services.TryAddSingleton<ProductAdmin>();
        services.TryAddSingleton<ProductImages>();
        services.TryAddSingleton<ProductContentAdmin>();
        services.TryAddSingleton<AssortmentAdmin>();
        services.TryAddSingleton<PriceListAdmin>();
        services.TryAddSingleton<PromotionAdmin>();
        services.TryAddSingleton<OrderHub.Application.GoLive.GoLiveChecklist>();
        return services;
    }
}
