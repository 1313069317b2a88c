using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace OrderHub.Testing.Contract;

/// <summary>
/// The one base of every in-process OrderHub test host: records every response (<see cref="ContractRecorder"/>) and, when
/// disposed, checks them against the OpenAPI document the host generates (<see cref="ContractCheck"/>). Derive from it
/// instead of <c>WebApplicationFactory&lt;Program&gt;</c> (an architecture test refuses the latter in tests), override
/// <see cref="ConfigureHost"/>, and pass extra configuration to the constructor rather than <c>WithWebHostBuilder</c>
/// when the derived factory would outlive this one. Factories made by <c>WithWebHostBuilder</c> record into this one.
/// </summary>
public class ContractCheckedFactory<TEntryPoint>(Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>Every response this host (and factories derived from it) gave.</summary>
    public ContractRecorder Recorder { get; } = new();

    private bool _checked;

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ConfigureHost(builder);
        configure?.Invoke(builder);
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(Recorder));
    }

    /// <summary>The host's settings and services (what <c>ConfigureWebHost</c> is in a plain factory).</summary>
    protected virtual void ConfigureHost(IWebHostBuilder builder) { }

    /// <summary>Checks every recorded response now (also done once when the host is disposed).</summary>
    public void VerifyContract()
    {
        if (_checked) return;
        _checked = true;
        var responses = Recorder.Responses.ToList();
        if (responses.Count == 0) return;
        var document = ContractCheck.DocumentOf(Services).GetAwaiter().GetResult();
        ContractCheck.Verify(GetType().Name + " in " + (TestContext.CurrentContext.Test.FullName ?? "?"), document, responses);
    }

    protected override void Dispose(bool disposing)
    {
        try { if (disposing) VerifyContract(); }
        finally { base.Dispose(disposing); }
    }

    // "await using": check while the server still runs (the base disposes it before calling Dispose(bool)).
    public override async ValueTask DisposeAsync()
    {
        try { VerifyContract(); }
        finally { await base.DisposeAsync(); }
    }
}
