using System.Diagnostics;
using RabbitMQ.Client;

namespace SlmOps.TestSupport;

/// <summary>
/// A RabbitMQ node of the test's own (the way deploy/stack.sh starts the dev one): its own node name, free loopback
/// AMQP and distribution ports, mnesia/log/cookie under a temporary folder, no plugins, and a vhost and user
/// created at first boot. The test (or the chaos soak) can stop and restart it without touching the shared broker that
/// other test assemblies use. The node's data outlives a stop, so durable queues and persistent messages come back.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private const string ServerBin = "/usr/lib/rabbitmq/bin";
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"slmops-it-rmq-{Guid.NewGuid():N}");
    private readonly string _node = $"slmopsit{Guid.NewGuid():N}"[..20] + "@localhost";
    private readonly int _distPort = TestStack.FreePort();
    private Process? _server;

    public string Host => "127.0.0.1";
    public int Port { get; } = TestStack.FreePort();
    public string VirtualHost => "slmops-it";
    public string Username => "slmops-it";
    public string Password => "slmops-it";

    /// <summary>The RabbitMq:* settings pointing a web or worker host at this node.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("RabbitMq:Host", Host), new("RabbitMq:Port", Port.ToString()), new("RabbitMq:VirtualHost", VirtualHost),
        new("RabbitMq:Username", Username), new("RabbitMq:Password", Password),
    ];

    /// <summary>Boots the node (first call writes its configuration) and waits until the user can connect.</summary>
    public async Task StartAsync()
    {
        if (!File.Exists(Path.Combine(ServerBin, "rabbitmq-server")))
            throw new InvalidOperationException($"{ServerBin}/rabbitmq-server is missing; run deploy/install.sh (Debian package rabbitmq-server).");
        if (!Directory.Exists(_dir)) WriteConfiguration();
        File.Delete(Path.Combine(_dir, "rabbitmq.pid")); // the previous boot's, or the wait below would be fooled
        _server = Process.Start(Start("rabbitmq-server"))!;
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(StartDeadline);
        while (true)
        {
            try
            {
                await using var connection = await ConnectAsync();
                return;
            }
            catch (Exception error) when (!deadline.IsCancellationRequested)
            {
                if (_server.HasExited)
                    throw new InvalidOperationException($"The private RabbitMQ node {_node} exited with {_server.ExitCode}; logs in {_dir}/log.", error);
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }

    /// <summary>Stops the whole node (rabbitmqctl stop) and waits for its process to exit.</summary>
    public async Task StopAsync()
    {
        if (_server is null) return;
        using (var stop = Process.Start(Start("rabbitmqctl", "-n", _node, "stop"))!)
        {
            stop.BeginOutputReadLine();
            stop.BeginErrorReadLine();
            await stop.WaitForExitAsync().WaitAsync(StartDeadline);
        }
        using var exited = new CancellationTokenSource(StartDeadline);
        try { await _server.WaitForExitAsync(exited.Token); }
        catch (OperationCanceledException) { _server.Kill(entireProcessTree: true); }
        _server.Dispose();
        _server = null;
    }

    public Task<IConnection> ConnectAsync() => new ConnectionFactory
    {
        HostName = Host, Port = Port, VirtualHost = VirtualHost, UserName = Username, Password = Password,
    }.CreateConnectionAsync();

    /// <summary>Messages ready in a queue, or an exception when nobody declared it.</summary>
    public async Task<uint> MessagesWaitingAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally
        {
            if (_server is { HasExited: false } server) server.Kill(entireProcessTree: true);
            if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        }
    }

    private void WriteConfiguration()
    {
        foreach (var sub in new[] { "home", "mnesia", "log" }) Directory.CreateDirectory(Path.Combine(_dir, sub));
        File.WriteAllText(Path.Combine(_dir, "rabbitmq.conf"), $"""
            listeners.tcp.default = {Host}:{Port}
            default_vhost = {VirtualHost}
            default_user = {Username}
            default_pass = {Password}
            default_permissions.configure = .*
            default_permissions.read = .*
            default_permissions.write = .*
            """);
        File.WriteAllText(Path.Combine(_dir, "advanced.config"), "[].");
        File.WriteAllText(Path.Combine(_dir, "rabbitmq-env.conf"), "");
        File.WriteAllText(Path.Combine(_dir, "enabled_plugins"), "[]."); // no management plugin: boots in seconds
    }

    private ProcessStartInfo Start(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(ServerBin, tool))
        {
            WorkingDirectory = _dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The cookie lives in HOME; nothing is read from the system's RabbitMQ configuration.
        start.Environment["HOME"] = Path.Combine(_dir, "home");
        start.Environment["RABBITMQ_NODENAME"] = _node;
        start.Environment["RABBITMQ_USE_LONGNAME"] = "false";
        start.Environment["RABBITMQ_NODE_IP_ADDRESS"] = Host;
        start.Environment["RABBITMQ_NODE_PORT"] = Port.ToString();
        start.Environment["RABBITMQ_DIST_PORT"] = _distPort.ToString();
        start.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir, "mnesia");
        start.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_dir, "log");
        start.Environment["RABBITMQ_PID_FILE"] = Path.Combine(_dir, "rabbitmq.pid");
        start.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_dir, "rabbitmq.conf");
        start.Environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_dir, "advanced.config");
        start.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir, "enabled_plugins");
        start.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_dir, "rabbitmq-env.conf");
        return start;
    }
}
