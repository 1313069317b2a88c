using NUnit.Framework;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OrderHub.Testing;

/// <summary>
/// A throw-away PostgreSQL cluster on loopback for the test run, started from the Debian package's initdb/pg_ctl
/// (as the postgres user when the tests run as root). Set ORDERHUB_TEST_POSTGRES to a connection string to use
/// an existing server instead. When PostgreSQL is not installed, PostgreSQL tests are skipped with a clear message.
/// </summary>
public static class PostgresCluster
{
    private static readonly Lazy<(string? Admin, string? Why)> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _dir;
    private static string? _bin;

    /// <summary>Creates a fresh, empty database and returns its connection string; or skips the test if no PostgreSQL can run.</summary>
    public static string CreateDatabase()
    {
        var (admin, why) = Server.Value;
        if (admin is null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
                Assert.Fail($"PostgreSQL is required in CI but could not start: {why}");
            Assert.Ignore($"PostgreSQL tests skipped: {why}");
        }
        return NewDatabase(admin!);
    }

    /// <summary>For programs that are not tests (the benchmark): a fresh database, or null and the reason PostgreSQL cannot run.</summary>
    public static (string? ConnectionString, string? Why) TryCreateDatabase()
    {
        var (admin, why) = Server.Value;
        return admin is null ? (null, why) : (NewDatabase(admin), null);
    }

    private static string NewDatabase(string admin)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        using (var c = new NpgsqlConnection(admin))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 50 }.ToString();
    }

    private static (string?, string?) Start()
    {
        var external = Environment.GetEnvironmentVariable("ORDERHUB_TEST_POSTGRES");
        if (!string.IsNullOrEmpty(external)) return (external, null);

        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (_bin is null) return (null, "PostgreSQL is not installed (apt-get install postgresql; .ci/run does this)");

        var root = Environment.UserName == "root";
        RemoveAbandonedClusters();
        _dir = Path.Combine(Path.GetTempPath(), "orderhub-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        if (root) Run("chown", $"postgres:postgres {_dir}", asPostgres: false);
        var port = FreePort();
        var init = Run(Path.Combine(_bin, "initdb"), $"-D {_dir}/data -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8", root);
        if (init.Code != 0) return (null, $"initdb failed: {init.Output}");
        var start = Run(Path.Combine(_bin, "pg_ctl"),
            $"-D {_dir}/data -o \"-p {port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" -l {_dir}/log -w start", root);
        if (start.Code != 0) return (null, $"pg_ctl start failed: {start.Output} {SafeRead($"{_dir}/log")}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(root);
        return ($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true", null);
    }

    /// <summary>
    /// A test process that is killed (a timeout, a cancelled run) never reaches <see cref="Stop"/>, and its cluster (about
    /// 1.5 GB after the bigger suites) stays in the temp folder. Each start removes such leftovers: no live postmaster and
    /// untouched for 30 minutes, so a cluster another process is still creating is left alone.
    /// </summary>
    private static void RemoveAbandonedClusters()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "orderhub-pg-*"))
        {
            try
            {
                if (Directory.GetLastWriteTimeUtc(dir) > DateTime.UtcNow.AddMinutes(-30)) continue;
                var pidFile = Path.Combine(dir, "data", "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}")) continue;
                Directory.Delete(dir, true);
            }
            catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void Stop(bool root)
    {
        if (_dir is null || _bin is null) return;
        Run(Path.Combine(_bin, "pg_ctl"), $"-D {_dir}/data -m immediate -w stop", root);
        try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static (int Code, string Output) Run(string file, string args, bool asPostgres)
    {
        var psi = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {args}")
            : new ProcessStartInfo(file, args);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        psi.WorkingDirectory = Path.GetTempPath();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit(120_000);
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string SafeRead(string path) { try { return File.ReadAllText(path); } catch (IOException) { return ""; } }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
