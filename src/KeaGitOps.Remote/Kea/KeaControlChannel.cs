using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace KeaGitOps.Remote.Kea;

/// <summary>
/// Kea's control channel through the server's Control Agent, reached over an SSH-forwarded loopback
/// port, so nothing but SSH has to be open between keagitops and the server. The agent's password is
/// read from its password file on the server and kept in memory only.
/// </summary>
public sealed class KeaControlChannel : IDisposable
{
    /// <summary>HA states in which a server serves its clients and its partner's as agreed.</summary>
    public static readonly IReadOnlySet<string> HealthyHaStates = new HashSet<string>(StringComparer.Ordinal)
    {
        "load-balancing", "hot-standby", "passive-backup", "backup",
    };

    /// <summary>HA states in which a server answers DHCP clients: the healthy ones, its own scope while it cannot reach its partner, or every scope.</summary>
    public static readonly IReadOnlySet<string> AnsweringHaStates = new HashSet<string>(StringComparer.Ordinal)
    {
        "load-balancing", "hot-standby", "passive-backup", "communication-recovery", "partner-down", "partner-in-maintenance",
    };

    /// <summary>HA states in which a server answers every client of the pair, its partner's too.</summary>
    public static readonly IReadOnlySet<string> ServingAllHaStates = new HashSet<string>(StringComparer.Ordinal)
    {
        "partner-down", "partner-in-maintenance",
    };

    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    private KeaControlChannel(HttpClient http, Uri endpoint)
    {
        _http = http;
        _endpoint = endpoint;
    }

    public static async Task<KeaControlChannel> OpenAsync(IRemoteHost host, ControlAgentAccess access, CancellationToken cancellation)
    {
        if (access.Unreachable is { } why)
        {
            throw new RemoteStepException(why);
        }

        var endpoint = await host.ForwardAsync(access.Host, access.Port, cancellation).ConfigureAwait(false);
        var credentials = await access.CredentialsAsync(host, cancellation).ConfigureAwait(false);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        if (credentials is { } basic)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        }

        return new KeaControlChannel(http, endpoint);
    }

    /// <summary>The server's HA state from ha-heartbeat, or the reason there is none.</summary>
    public async Task<(string? State, string? Problem)> HaStateAsync(CancellationToken cancellation)
    {
        try
        {
            using var request = new StringContent("""{ "command": "ha-heartbeat", "service": [ "dhcp4" ] }""", Encoding.UTF8);
            // Kea's HTTP listener answers 400 to "application/json; charset=utf-8": the type must be bare.
            request.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(_endpoint, request, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"the Control Agent answered HTTP {(int)response.StatusCode}");
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false));
            var answer = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement[0] : document.RootElement;
            var result = answer.TryGetProperty("result", out var r) ? r.GetInt32() : -1;
            if (result != 0)
            {
                return (null, $"ha-heartbeat failed: {(answer.TryGetProperty("text", out var t) ? t.GetString() : $"result {result}")}");
            }

            return (answer.GetProperty("arguments").GetProperty("state").GetString(), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, $"the control channel did not answer ({e.Message})");
        }
    }

    /// <summary>
    /// Sends <paramref name="command"/> to the DHCPv4 server with <paramref name="arguments"/> (a JSON
    /// object, or null for none) and returns Kea's answer; a channel that does not answer is an answer
    /// with <see cref="KeaAnswer.NoAnswer"/> as its result and the reason as its text, never an exception.
    /// </summary>
    public async Task<KeaAnswer> CommandAsync(string command, string? arguments, CancellationToken cancellation)
    {
        var body = $"{{ \"command\": {JsonSerializer.Serialize(command)}, \"service\": [ \"dhcp4\" ]{(arguments is null ? string.Empty : ", \"arguments\": " + arguments)} }}";
        try
        {
            using var request = new StringContent(body, Encoding.UTF8);
            request.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(_endpoint, request, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new KeaAnswer(KeaAnswer.NoAnswer, $"the Control Agent answered HTTP {(int)response.StatusCode}", null);
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false));
            var answer = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement[0] : document.RootElement;
            var result = answer.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : KeaAnswer.NoAnswer;
            var text = answer.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var args = answer.TryGetProperty("arguments", out var a) ? a.Clone() : (JsonElement?)null;
            return new KeaAnswer(result, text ?? $"result {result}", args);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return new KeaAnswer(KeaAnswer.NoAnswer, $"the control channel did not answer ({e.Message})", null);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Kea's answer to a command: its result code (0 success, 1 error, 2 unsupported, 3 empty), its text and arguments.</summary>
public sealed record KeaAnswer(int Result, string Text, JsonElement? Arguments)
{
    public const int Success = 0;
    public const int Unsupported = 2;
    public const int Empty = 3;

    /// <summary>Not one of Kea's codes: the channel gave no readable answer.</summary>
    public const int NoAnswer = -1;

    /// <summary>Why the command did not succeed, in words; null when it did.</summary>
    public string? Problem => Result == Success ? null : Text;
}

