namespace OrderHub.Application.Data;

/// <summary>Data loaded into the database at start, after the migrations (the demo distributor, a first admin).</summary>
public interface IDatabaseSeed
{
    Task SeedAsync(CancellationToken ct);
}
