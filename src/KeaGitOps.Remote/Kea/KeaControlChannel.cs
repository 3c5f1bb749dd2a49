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

    private static readonly string[] Dhcp4Service = ["dhcp4"];

    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    private KeaControlChannel(HttpClient http, Uri endpoint)
    {
        _http = http;
        _endpoint = endpoint;
    }

    public static async Task<KeaControlChannel> OpenAsync(IRemoteHost host, ControlAgentAccess access, CancellationToken cancellation)
    {
        var endpoint = await host.ForwardAsync(access.Host, access.Port, cancellation).ConfigureAwait(false);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        if (access.User is { } user && access.PasswordFile is { } passwordFile)
        {
            var password = await host.ReadFileAsync(passwordFile, cancellation).ConfigureAwait(false)
                ?? throw new RemoteStepException($"the Control Agent's password file {passwordFile} does not exist on the server");
            // Kea takes the whole file as the password, a trailing newline included: send exactly that.
            var secret = Encoding.UTF8.GetString(password);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
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
    /// Sends one command to the DHCPv4 server through the agent; the answer, or why there is none. The
    /// arguments are cloned, so the answer outlives the response.
    /// </summary>
    public async Task<KeaAnswer> CallAsync(string command, CancellationToken cancellation, JsonElement? arguments = null)
    {
        try
        {
            var body = JsonSerializer.Serialize(arguments is { } given
                ? new Dictionary<string, object> { ["command"] = command, ["service"] = Dhcp4Service, ["arguments"] = given }
                : new Dictionary<string, object> { ["command"] = command, ["service"] = Dhcp4Service });
            using var request = new StringContent(body, Encoding.UTF8);
            request.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(_endpoint, request, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return KeaAnswer.Failed($"the Control Agent answered HTTP {(int)response.StatusCode} to {command}");
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false), new JsonDocumentOptions { MaxDepth = 256 });
            var answer = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().FirstOrDefault()
                : document.RootElement;
            if (answer.ValueKind != JsonValueKind.Object)
            {
                return KeaAnswer.Failed($"the Control Agent's answer to {command} is not a Kea answer");
            }

            var result = answer.TryGetProperty("result", out var r) && r.TryGetInt32(out var code) ? code : -1;
            var text = answer.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return result == 0
                ? new KeaAnswer(answer.TryGetProperty("arguments", out var a) ? a.Clone() : null, null)
                : KeaAnswer.Failed($"{command} failed: {text ?? $"result {result}"}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return KeaAnswer.Failed($"the control channel did not answer {command} ({e.Message})");
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Where the Control Agent listens on the server and how to log in to it.</summary>
public sealed record ControlAgentAccess(string Host, int Port, string? User, string? PasswordFile);

/// <summary>What Kea answered a command: its arguments when it succeeded, else the reason in words.</summary>
public sealed record KeaAnswer(JsonElement? Arguments, string? Problem)
{
    public bool Succeeded => Problem is null;

    public static KeaAnswer Failed(string problem) => new(null, problem);
}
