using KeaGitOps.Remote.Status;

namespace KeaGitOps.Tests.Status;

/// <summary>The verdicts, thresholds and exit levels of keagitops status, on hand-made readings of a pair.</summary>
public sealed class StatusEvaluatorTests
{
    private static readonly StatusThresholds Stork = new();

    internal static ServerStatus Healthy(string name, string partner, long assigned = 10, long total = 100) => new(name, "198.51.100.1")
    {
        Dhcp4Active = true,
        AgentActive = true,
        KeaVersion = "3.0.4",
        WantedVersion = "3.0",
        UptimeSeconds = 600,
        Ha = new HaStatus("load-balancing", "load-balancing", [name], partner, "load-balancing", true, false, 0, 0),
        Drift = new ConfigDrift { FileVsInventory = "Unchanged", RunningMatchesFile = true, DeployedCommit = "0123456789abcdef" },
        Pools = [new PoolUse(1, "198.51.100.0/24", null, null, total, assigned, 0)],
        Load = new LoadCounters(30, 31, 70, 30),
    };

    private static IReadOnlyList<ServerStatus> Pair(ServerStatus? first = null, ServerStatus? second = null) =>
        [first ?? Healthy("kea-dhcp-1", "kea-dhcp-2"), second ?? Healthy("kea-dhcp-2", "kea-dhcp-1")];

    [Fact]
    public void A_healthy_pair_is_OK_with_a_one_line_HA_verdict()
    {
        var verdict = StatusEvaluator.Evaluate(Pair(), Stork);

        Assert.Equal(StatusLevel.Ok, verdict.Level);
        Assert.Empty(verdict.Findings);
        Assert.Equal("KEAGITOPS OK - healthy: load-balancing on both", verdict.Headline);
        Assert.Equal("load split (since each daemon started): kea-dhcp-1 30 acks (50 %), kea-dhcp-2 30 acks (50 %)", verdict.LoadSummary);
    }

    [Fact]
    public void A_server_down_is_CRITICAL_and_its_partner_in_partner_down_a_warning()
    {
        var down = Healthy("kea-dhcp-2", "kea-dhcp-1") with { Dhcp4Active = false, ControlProblem = "status-get failed: server is not running", Ha = null };
        var alone = Healthy("kea-dhcp-1", "kea-dhcp-2") with { Ha = new HaStatus("load-balancing", "partner-down", ["kea-dhcp-1", "kea-dhcp-2"], "kea-dhcp-2", "unavailable", false, true, 0, 0) };

        var verdict = StatusEvaluator.Evaluate(Pair(alone, down), Stork);

        Assert.Equal(StatusLevel.Critical, verdict.Level);
        Assert.Equal(2, (int)verdict.Level);
        Assert.StartsWith("KEAGITOPS CRITICAL - kea-dhcp-2: kea-dhcp4 is not running", verdict.Headline, StringComparison.Ordinal);
        Assert.Contains(verdict.Findings, f => f is { Level: StatusLevel.Warning, Server: "kea-dhcp-1" } && f.Message == "HA state partner-down");
        Assert.DoesNotContain(verdict.Findings, f => f.Level == StatusLevel.Unknown);
        Assert.Equal("not healthy: kea-dhcp-1 partner-down, kea-dhcp-2 kea-dhcp4 down", verdict.HaSummary);
    }

    [Fact]
    public void An_unreachable_server_is_CRITICAL()
    {
        var verdict = StatusEvaluator.Evaluate(Pair(second: new ServerStatus("kea-dhcp-2", "198.51.100.134") { Unreachable = "connection refused" }), Stork);

        Assert.Equal(StatusLevel.Critical, verdict.Level);
        Assert.Equal("kea-dhcp-2: unreachable (connection refused)", Assert.Single(verdict.Findings).ToString());
    }

    [Fact]
    public void A_control_channel_that_does_not_answer_while_the_daemon_runs_is_UNKNOWN_and_CRITICAL_outranks_it()
    {
        var mute = Healthy("kea-dhcp-1", "kea-dhcp-2") with { Ha = null, ControlProblem = "the control channel did not answer status-get (timed out)" };

        Assert.Equal(StatusLevel.Unknown, StatusEvaluator.Evaluate(Pair(mute), Stork).Level);
        Assert.Equal(StatusLevel.Critical, StatusEvaluator.Evaluate(Pair(mute, Healthy("kea-dhcp-2", "kea-dhcp-1") with { Dhcp4Active = false }), Stork).Level);
    }

    [Theory]
    [InlineData(79, StatusLevel.Ok)]
    [InlineData(80, StatusLevel.Warning)]
    [InlineData(89, StatusLevel.Warning)]
    [InlineData(90, StatusLevel.Critical)]
    [InlineData(100, StatusLevel.Critical)]
    public void Pool_use_is_judged_at_Storks_thresholds(long assigned, StatusLevel expected)
    {
        Assert.Equal(expected, StatusEvaluator.Evaluate(Pair(Healthy("kea-dhcp-1", "kea-dhcp-2", assigned)), Stork).Level);
    }

    [Fact]
    public void Thresholds_are_configurable_and_declined_addresses_count_as_used()
    {
        var server = Healthy("kea-dhcp-1", "kea-dhcp-2") with { Pools = [new PoolUse(1, "198.51.100.0/24", null, null, 100, 40, 25)] };

        Assert.Equal(StatusLevel.Ok, StatusEvaluator.Evaluate(Pair(server), Stork).Level);
        var verdict = StatusEvaluator.Evaluate(Pair(server), new StatusThresholds(50, 60));
        Assert.Equal(StatusLevel.Critical, verdict.Level);
        Assert.Equal("kea-dhcp-1: subnet 198.51.100.0/24 65 % used (65 of 100)", Assert.Single(verdict.Findings).ToString());
    }

    [Fact]
    public void Drift_of_the_running_config_of_the_file_or_by_hand_is_a_WARNING_that_says_where()
    {
        var api = Healthy("kea-dhcp-1", "kea-dhcp-2") with { Drift = new ConfigDrift { FileVsInventory = "Unchanged", RunningMatchesFile = false, RunningChanges = ["Dhcp4.valid-lifetime: file 86400, running 7200"] } };
        var hand = Healthy("kea-dhcp-2", "kea-dhcp-1") with { Drift = new ConfigDrift { FileVsInventory = "Changed", FileChanges = ["Dhcp4.valid-lifetime"], EditedByHand = true, RunningMatchesFile = false } };

        var verdict = StatusEvaluator.Evaluate(Pair(api, hand), Stork);

        Assert.Equal(StatusLevel.Warning, verdict.Level);
        Assert.Contains(verdict.Findings, f => f.Server == "kea-dhcp-1" && f.Message.Contains("Dhcp4.valid-lifetime: file 86400, running 7200", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.Server == "kea-dhcp-2" && f.Message.Contains("differs from what the inventory renders now (1 change)", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.Server == "kea-dhcp-2" && f.Message.Contains("edited by hand", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("3.0.4", "3.0", true)]
    [InlineData("3.0.4", "2.6", false)]
    [InlineData("3.01.0", "3.0", false)]
    [InlineData("2.2.0", "2.2", true)]
    public void The_running_Kea_matches_the_release_kea_version_names(string running, string wanted, bool same)
    {
        Assert.Equal(same, StatusEvaluator.SameRelease(running, wanted));
        var verdict = StatusEvaluator.Evaluate(Pair(Healthy("kea-dhcp-1", "kea-dhcp-2") with { KeaVersion = running, WantedVersion = wanted }), Stork);
        Assert.Equal(same ? StatusLevel.Ok : StatusLevel.Warning, verdict.Level);
    }

    [Fact]
    public void An_agent_down_or_HA_terminated_or_interrupted_are_judged()
    {
        Assert.Equal(StatusLevel.Warning, StatusEvaluator.Evaluate(Pair(Healthy("kea-dhcp-1", "kea-dhcp-2") with { AgentActive = false }), Stork).Level);
        var terminated = Healthy("kea-dhcp-1", "kea-dhcp-2") with { Ha = new HaStatus("load-balancing", "terminated", [], "kea-dhcp-2", "terminated", true, false, 0, 0) };
        Assert.Equal(StatusLevel.Critical, StatusEvaluator.Evaluate(Pair(terminated), Stork).Level);
        var interrupted = Healthy("kea-dhcp-1", "kea-dhcp-2") with { Ha = new HaStatus("load-balancing", "load-balancing", ["kea-dhcp-1"], "kea-dhcp-2", "load-balancing", true, true, 3, 1) };
        var verdict = StatusEvaluator.Evaluate(Pair(interrupted), Stork);
        Assert.Equal(StatusLevel.Warning, verdict.Level);
        Assert.Equal("kea-dhcp-1: communication with kea-dhcp-2 interrupted (3 unacked clients)", Assert.Single(verdict.Findings).ToString());
    }

    [Fact]
    public void The_load_split_of_an_interval_says_so()
    {
        var servers = Pair(Healthy("kea-dhcp-1", "kea-dhcp-2") with { Load = new LoadCounters(9, 9, 20, 9) }, Healthy("kea-dhcp-2", "kea-dhcp-1") with { Load = new LoadCounters(3, 3, 20, 3) });

        Assert.Equal("load split (last 5 s): kea-dhcp-1 9 acks (75 %), kea-dhcp-2 3 acks (25 %)", StatusEvaluator.LoadSummary(servers, cumulative: false, TimeSpan.FromSeconds(5)));
    }
}
